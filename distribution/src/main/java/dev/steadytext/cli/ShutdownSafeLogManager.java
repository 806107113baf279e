package dev.steadytext.cli;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager, except that its own shutdown hook does not switch logging off.
 *
 * <p>The JDK resets logging in a shutdown hook that runs concurrently with ours, so whatever the platform logs while
 * it stops (the worker handing back its jobs, the database stopping) would be lost. Installed by
 * {@link SteadyTextCli#main} through {@code java.util.logging.manager}; public for that reason.
 */
public final class ShutdownSafeLogManager extends LogManager {

    @Override
    public void reset() {
        if (Thread.currentThread().getClass().getName().startsWith(LogManager.class.getName())) {
            return; // LogManager$Cleaner, the JDK's shutdown hook
        }
        super.reset();
    }
}
