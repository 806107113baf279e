package dev.steadytext.distribution;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The assembled distribution under test ({@code target/steadytext}), and the shared test models.
 *
 * <p>Failsafe passes {@code steadytext.distribution.dir} (the assembly) and {@code steadytext.shared.dir} (the
 * directory holding {@code models/}); both come from the poms, so no machine path is written in a test.
 */
public final class Distribution {

    private Distribution() {}

    /** The distribution's root: {@code bin/}, {@code lib/}, {@code bundles/}, {@code conf/}, {@code plugins/}. */
    public static Path root() {
        Path root = Path.of(required("steadytext.distribution.dir"));
        if (!Files.isRegularFile(root.resolve("bin/steadytext"))) {
            throw new IllegalStateException(root + " holds no assembled distribution: run mvn package first");
        }
        return root;
    }

    public static Path bundles() {
        return root().resolve("bundles");
    }

    public static Path launcherScript() {
        return root().resolve("bin/steadytext");
    }

    /** Where a test class's child processes write their output: {@code target/it-logs/<class>}. */
    public static Path logDirectory(Class<?> testClass) {
        return root().getParent().resolve("it-logs").resolve(testClass.getSimpleName());
    }

    /** The tiny GGUF model every test and the offline demo use. */
    public static Path stories260K() {
        Path model = Path.of(required("steadytext.shared.dir"), "models", "stories260K.gguf");
        if (!Files.isRegularFile(model)) {
            throw new IllegalStateException("missing test model " + model);
        }
        return model;
    }

    private static String required(String property) {
        String value = System.getProperty(property, "");
        if (value.isBlank()) {
            throw new IllegalStateException("system property " + property + " is not set (failsafe sets it from the pom)");
        }
        return value;
    }
}
