package dev.steadytext.models.loader.internal;

import dev.steadytext.api.embed.Embedder;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.queue.Worker;
import dev.steadytext.api.rerank.Reranker;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The platform's backends through the OSGi service registry and ConfigurationAdmin. A generation model is started as
 * a factory configuration of the llama.cpp component ({@value #LLAMACPP_PID}{@code ~name}), a GGUF reranker as one of
 * the llama.cpp reranker component ({@value #LLAMACPP_RERANKER_PID}{@code ~name}); SCR turns each into one more
 * component instance, which registers a Generator or a Reranker (the worker picks it up and registers the model in
 * {@code steadytext_models}) or, when the file cannot be loaded, its failure, both tagged with the configuration's
 * PID ({@value #CONFIG_PID}).
 */
final class OsgiBackends implements Backends {

    /** The factory PID of the llama.cpp component that serves models beside the platform's configured one. */
    static final String LLAMACPP_PID = "dev.steadytext.backend.llamacpp.model";
    /** The factory PID of the llama.cpp reranker component, one instance per GGUF reranker model. */
    static final String LLAMACPP_RERANKER_PID = "dev.steadytext.backend.llamacpp.reranker";
    /** Service property of the llama.cpp component's Generator and failure: the configuration's PID. */
    static final String CONFIG_PID = "steadytext.config.pid";
    static final String MODEL_DEFAULT = "steadytext.model.default";
    /** Longer than any GGUF file we know of takes to load (a 4B model in Q8_0 from a slow disk). */
    static final Duration BACKEND_LOAD_TIMEOUT = Duration.ofMinutes(10);
    /** The worker registers a new model in one round trip; this allows for a busy database. */
    static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
    private static final long POLL_MILLIS = 20;
    private static final String ANY_BUNDLE = "?";

    private final BundleContext context;
    private final ConfigurationAdmin configurationAdmin;
    private final Worker worker;

    OsgiBackends(BundleContext context, ConfigurationAdmin configurationAdmin, Worker worker) {
        this.context = context;
        this.configurationAdmin = configurationAdmin;
        this.worker = worker;
    }

    @Override
    public List<LoadedModel> generators() {
        return served(Generator.class, Generator::model);
    }

    @Override
    public List<LoadedModel> embedders() {
        return served(Embedder.class, Embedder::model);
    }

    @Override
    public List<LoadedModel> rerankers() {
        return served(Reranker.class, Reranker::model);
    }

    private <S> List<LoadedModel> served(Class<S> type, Function<S, ModelDescriptor> model) {
        List<LoadedModel> models = new ArrayList<>();
        for (ServiceReference<S> reference : references(type, null)) {
            loaded(reference, model).ifPresent(models::add);
        }
        return models;
    }

    private <S> Optional<LoadedModel> loaded(ServiceReference<S> reference, Function<S, ModelDescriptor> model) {
        S service = context.getService(reference);
        if (service == null) {
            return Optional.empty(); // unregistered meanwhile
        }
        try {
            ModelDescriptor descriptor = model.apply(service);
            return Optional.of(new LoadedModel(descriptor.name(), descriptor.fingerprint(), descriptor.modelSha256(),
                    Boolean.parseBoolean(String.valueOf(reference.getProperty(MODEL_DEFAULT)))));
        } finally {
            context.ungetService(reference);
        }
    }

    @Override
    public LoadedModel startGenerator(String name, Path file, boolean isDefault)
            throws LoadFailure, InterruptedException {
        return start(LlamaService.GENERATOR, name, file, isDefault);
    }

    @Override
    public LoadedModel startReranker(String name, Path file) throws LoadFailure, InterruptedException {
        return start(LlamaService.RERANKER, name, file, false);
    }

    private <S> LoadedModel start(LlamaService<S> kind, String name, Path file, boolean isDefault)
            throws LoadFailure, InterruptedException {
        Configuration configuration;
        try {
            refuseBesideASingletonConfiguration(kind, name);
            configuration = factoryConfiguration(kind, name);
            String filter = "(" + CONFIG_PID + "=" + configuration.getPid() + ")";
            // A failure left by an earlier try would be taken for this one's: start from no instance at all.
            if (!references(Throwable.class, filter).isEmpty()) {
                configuration.delete();
                awaitGone(filter);
                configuration = factoryConfiguration(kind, name);
            }
            Dictionary<String, Object> properties = new Hashtable<>();
            properties.put("modelPath", file.toString());
            properties.put("name", name);
            properties.put("isDefault", isDefault);
            configuration.update(properties);
        } catch (IOException e) {
            throw LoadFailure.of("model " + name + ": cannot configure a llama.cpp " + kind.what() + " for it: "
                    + e.getMessage(), e);
        }
        return awaitRegistered(awaitServed(kind, name, file, configuration));
    }

    /**
     * Felix SCR gives a component either its singleton configuration or factory configurations of the same PID, never
     * both: a factory configuration beside a singleton one would start nothing, and the caller would wait out the
     * load timeout without a reason. Say what to do instead.
     */
    private void refuseBesideASingletonConfiguration(LlamaService<?> kind, String name) throws IOException, LoadFailure {
        try {
            if (configurationAdmin.listConfigurations("(" + Constants.SERVICE_PID + "=" + kind.factoryPid() + ")") != null) {
                throw LoadFailure.of("model " + name + ": the llama.cpp " + kind.what() + " backend is configured by "
                        + "the single configuration " + kind.factoryPid() + " (conf/" + kind.factoryPid() + ".cfg), "
                        + "beside which no more models can be started; rename that file to " + kind.factoryPid()
                        + "~NAME.cfg so that models also load on demand");
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad configuration filter for " + kind.factoryPid(), e);
        }
    }

    private Configuration factoryConfiguration(LlamaService<?> kind, String name) throws IOException {
        return configurationAdmin.getFactoryConfiguration(kind.factoryPid(), configurationName(name), ANY_BUNDLE);
    }

    /** Waits for the component instance of the configuration to serve the model, or to report why it cannot. */
    private <S> LoadedModel awaitServed(LlamaService<S> kind, String name, Path file, Configuration configuration)
            throws LoadFailure, InterruptedException {
        String filter = "(" + CONFIG_PID + "=" + configuration.getPid() + ")";
        long deadline = System.nanoTime() + BACKEND_LOAD_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ServiceReference<S> reference : references(kind.type(), filter)) {
                Optional<LoadedModel> loaded = loaded(reference, kind.model());
                if (loaded.isPresent()) {
                    return loaded.get();
                }
            }
            for (ServiceReference<Throwable> reference : references(Throwable.class, filter)) {
                Throwable failure = context.getService(reference);
                String reason = failure == null ? "unknown" : failure.getMessage();
                context.ungetService(reference);
                deleteQuietly(configuration);
                throw LoadFailure.of("llama.cpp cannot load " + kind.what() + " model " + name + " from " + file + ": "
                        + reason);
            }
            Thread.sleep(POLL_MILLIS);
        }
        deleteQuietly(configuration);
        throw LoadFailure.of("llama.cpp did not finish loading " + kind.what() + " model " + name + " from " + file
                + " within " + BACKEND_LOAD_TIMEOUT.toMinutes() + " minutes; the load was stopped");
    }

    @Override
    public LoadedModel awaitRegistered(LoadedModel model) throws LoadFailure, InterruptedException {
        long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
        while (!worker.registeredModels().contains(model.fingerprint())) {
            if (System.nanoTime() > deadline) {
                throw LoadFailure.of("model " + model.name() + " is loaded, but the worker did not register it within "
                        + REGISTRATION_TIMEOUT.toSeconds() + " s; see the worker's log");
            }
            Thread.sleep(POLL_MILLIS);
        }
        return model;
    }

    /**
     * The factory configuration's name for a model: its registry name where that is a plain word, else a readable
     * part and a hash (names of models given by repository and file hold '/').
     */
    static String configurationName(String modelName) {
        String plain = modelName.replaceAll("[^A-Za-z0-9._-]", "_");
        return plain.equals(modelName) ? plain
                : plain + "-" + String.format("%08x", modelName.hashCode());
    }

    private void awaitGone(String filter) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!references(Throwable.class, filter).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
    }

    private <S> Collection<ServiceReference<S>> references(Class<S> type, String filter) {
        try {
            return context.getServiceReferences(type, filter);
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException("bad service filter " + filter, e);
        }
    }

    private static void deleteQuietly(Configuration configuration) {
        try {
            configuration.delete();
        } catch (IOException | IllegalStateException e) {
            // Gone already; nothing is left to stop.
        }
    }

    /** What a llama.cpp factory configuration serves: its factory PID, the service it registers, and its model. */
    private record LlamaService<S>(String factoryPid, Class<S> type, Function<S, ModelDescriptor> model, String what) {
        static final LlamaService<Generator> GENERATOR =
                new LlamaService<>(LLAMACPP_PID, Generator.class, Generator::model, "generation");
        static final LlamaService<Reranker> RERANKER =
                new LlamaService<>(LLAMACPP_RERANKER_PID, Reranker.class, Reranker::model, "reranker");
    }
}
