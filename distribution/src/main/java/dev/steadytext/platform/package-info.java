/**
 * Starts and stops the SteadyText worker platform inside a Java application.
 *
 * <p>{@link dev.steadytext.platform.SteadyTextPlatform} is the whole entry point: it starts an embedded Apache Felix
 * runtime with the platform's bundles, configured by {@link dev.steadytext.platform.PlatformOptions}, and hands out
 * the services of the {@code dev.steadytext.api} packages, which the framework exports from the application's class
 * path. The {@code steadytext} command line is built on it.
 */
package dev.steadytext.platform;
