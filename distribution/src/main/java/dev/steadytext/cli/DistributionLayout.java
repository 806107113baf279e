package dev.steadytext.cli;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The installed distribution's directories ({@code bundles/}, {@code conf/}, {@code plugins/}), found through the
 * {@code steadytext.distribution} system property that {@code bin/steadytext} sets.
 */
final class DistributionLayout {

    static final String PROPERTY = "steadytext.distribution";

    private DistributionLayout() {}

    static Optional<Path> root() {
        return Optional.ofNullable(System.getProperty(PROPERTY)).map(Path::of).map(Path::toAbsolutePath);
    }

    static Optional<Path> directory(String name) {
        return root().map(root -> root.resolve(name));
    }
}
