package dev.steadytext.platform;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.queue.Worker;
import dev.steadytext.platform.internal.PlatformRuntime;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A running SteadyText worker platform: an embedded OSGi framework whose worker claims jobs from the database's
 * queue and answers them with the model backends.
 *
 * <pre>{@code
 * PlatformOptions options = PlatformOptions.builder()
 *         .bundlesDirectory(Path.of("steadytext/bundles"))
 *         .jdbcUrl("jdbc:postgresql://localhost:5432/app").user("app").password(secret)
 *         .generationModel(Path.of("models/stories260K.gguf"))
 *         .build();
 * try (SteadyTextPlatform platform = SteadyTextPlatform.start(options)) {
 *     Generation text = platform.generator().generate(request);
 * }
 * }</pre>
 *
 * <p>{@link #start} returns once the worker serves requests, after installing or upgrading the schema. The
 * application needs the {@code steadytext-api} jar (and this jar's dependencies) on its class path: the framework
 * exports the {@code dev.steadytext.api} packages from there, so the services it hands out implement the
 * application's own interfaces. One platform per JVM: the llama.cpp native library can be loaded only once.
 *
 * <p>{@link #close} stops the worker (it finishes or releases its claimed jobs) and then the embedded database.
 * Native libraries may leave non-daemon threads behind, so a command-line application should end with
 * {@code System.exit}.
 */
public final class SteadyTextPlatform implements AutoCloseable {

    private static final Duration SERVICE_WAIT = Duration.ofSeconds(30);

    private final PlatformRuntime runtime;

    private SteadyTextPlatform(PlatformRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Starts the platform and waits until its worker is ready.
     *
     * @throws PlatformException if it is not ready within {@link PlatformOptions#readyTimeout()}, listing the
     *     bundles and components that are not; everything started so far is stopped again
     */
    public static SteadyTextPlatform start(PlatformOptions options) {
        return new SteadyTextPlatform(PlatformRuntime.start(Objects.requireNonNull(options, "options")));
    }

    /** The database the platform serves, for SQL clients. */
    public DatabaseEndpoint database() {
        return runtime.database();
    }

    /** From {@link #start} being called to the worker being ready. */
    public Duration startupTime() {
        return runtime.startupTime();
    }

    /** The running worker. */
    public Worker worker() {
        return service(Worker.class, SERVICE_WAIT);
    }

    /** The default text generation backend, waiting up to 30 s for one to be registered. */
    public Generator generator() {
        return service(Generator.class, SERVICE_WAIT);
    }

    /** The default embedding backend, waiting up to 30 s for one to be registered. */
    public Embedder embedder() {
        return service(Embedder.class, SERVICE_WAIT);
    }

    /**
     * A service of the runtime, the highest ranked if there are several.
     *
     * @throws PlatformException if none is registered within the timeout, with the components that are not satisfied
     */
    public <S> S service(Class<S> type, Duration timeout) {
        return runtime.service(type, timeout);
    }

    /**
     * What is wrong right now, one line each: bundles that are not active, components that are not satisfied (with
     * the missing configuration or reference). Empty when every bundle and component is up; a health check.
     */
    public List<String> problems() {
        return runtime.diagnose();
    }

    /** Blocks until the platform stops, by {@link #close} or from inside the framework. */
    public void awaitStop() throws InterruptedException {
        runtime.awaitStop();
    }

    /** Stops the framework, then the embedded database if there is one. Idempotent. */
    @Override
    public void close() {
        runtime.close();
    }
}
