package dev.steadytext.cli;

import dev.steadytext.models.ModelCache;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A {@code models} subcommand: gets the model cache of the shared {@link ModelOptions}, and closes it after. */
abstract class ModelCacheCommand implements Callable<Integer> {

    @Mixin
    ModelOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() throws IOException, InterruptedException {
        try (ModelCache cache = new ModelCache(options.settings())) {
            return run(cache, spec.commandLine().getOut(), spec.commandLine().getErr());
        }
    }

    /** The command's work; returns the exit code. Results go to {@code out}, progress and errors to {@code err}. */
    abstract int run(ModelCache cache, PrintWriter out, PrintWriter err) throws IOException, InterruptedException;
}
