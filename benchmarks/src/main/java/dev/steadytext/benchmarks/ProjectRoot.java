package dev.steadytext.benchmarks;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The project's root directory: two levels above this jar ({@code benchmarks/target/x.jar}) or classes directory. */
final class ProjectRoot {

    private ProjectRoot() {}

    static Path find() {
        try {
            Path location = Path.of(ProjectRoot.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // benchmarks/target/steadytext-benchmarks.jar or benchmarks/target/classes
            Path root = location.getParent().getParent().getParent();
            if (root != null && Files.isRegularFile(root.resolve("benchmarks/pom.xml"))) {
                return root;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // fall through: not started from the build's output
        }
        return Path.of("").toAbsolutePath();
    }
}
