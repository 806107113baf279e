package dev.steadytext.cli;

import picocli.CommandLine.Command;

/** {@code steadytext models}: the model registry and the model cache, without a database. */
@Command(name = "models", mixinStandardHelpOptions = true,
        description = {"List, download, verify and remove models (registry and cache; no database needed).",
                "Settings: conf/dev.steadytext.models.cfg (downloads, baseUrl, cacheDirectory, model.NAME.*)."},
        subcommands = {ModelsListCommand.class, ModelsPullCommand.class, ModelsVerifyCommand.class,
                ModelsRemoveCommand.class})
final class ModelsCommand {
}
