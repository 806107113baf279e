package dev.steadytext.cli;

import picocli.CommandLine.IVersionProvider;

/** The version from the launcher jar's manifest. */
final class VersionProvider implements IVersionProvider {

    @Override
    public String[] getVersion() {
        String version = SteadyTextCli.class.getPackage().getImplementationVersion();
        return new String[] {"steadytext " + (version == null ? "(development build)" : version)};
    }
}
