package dev.steadytext.backend.llamacpp.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steadytext.api.generate.Generation;
import dev.steadytext.api.generate.GenerationRequest;
import dev.steadytext.api.generate.Generator;
import dev.steadytext.testkit.FelixRuntime;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/**
 * Factory configurations of the llama.cpp model component beside the platform's singleton configuration, as the
 * worker creates them for models loaded on demand: one Generator per configuration, each tagged with its
 * configuration's PID, and a model that cannot load published as a failure with the backend's reason.
 */
class LlamaCppFactoryConfigurationIT {

    @Test
    void factoryConfigurations_serveModelsBesideTheSingleton_andPublishFailedLoads(@TempDir Path storage)
            throws Exception {
        try (FelixRuntime felix = FelixRuntime.start(storage)) {
            Hashtable<String, Object> singleton = new Hashtable<>();
            singleton.put("modelPath", Stories260K.path().toAbsolutePath().toString());
            singleton.put("contextSize", 512);
            felix.configure(LlamaCppComponent.PID, singleton);
            Hashtable<String, Object> onDemand = new Hashtable<>();
            onDemand.put("modelPath", Stories260K.path().toAbsolutePath().toString());
            onDemand.put("name", "tiny-stories");
            onDemand.put("isDefault", false);
            onDemand.put("contextSize", 256);
            String onDemandPid = factoryConfiguration(felix, "tiny", onDemand);
            Path notAModel = Files.writeString(storage.resolve("not-a-model.gguf"), "plain text, no GGUF header");
            Hashtable<String, Object> broken = new Hashtable<>();
            broken.put("modelPath", notAModel.toString());
            broken.put("isDefault", false);
            String brokenPid = factoryConfiguration(felix, "broken", broken);

            ServiceReference<Generator> defaultModel = await(felix.context(), Generator.class, LlamaCppComponent.PID);
            ServiceReference<Generator> tiny = await(felix.context(), Generator.class, onDemandPid);
            ServiceReference<Throwable> failure = await(felix.context(), Throwable.class, brokenPid);

            assertThat(onDemandPid).isEqualTo(LlamaCppModelComponent.FACTORY_PID + "~tiny");
            assertThat(defaultModel.getProperty(LlamaCppBackend.MODEL_DEFAULT)).isEqualTo(true);
            assertThat(defaultModel.getProperty(LlamaCppBackend.MODEL_NAME)).isEqualTo("stories260K");
            assertThat(tiny.getProperty(LlamaCppBackend.MODEL_DEFAULT)).isEqualTo(false);
            assertThat(tiny.getProperty(LlamaCppBackend.MODEL_NAME)).isEqualTo("tiny-stories");
            assertThat(felix.context().getServiceReference(Generator.class)).as("the highest ranked")
                    .isEqualTo(defaultModel);
            Generator first = felix.context().getService(defaultModel);
            Generator second = felix.context().getService(tiny);
            assertThat(second.model().fingerprint()).as("another context size: another fingerprint")
                    .isNotEqualTo(first.model().fingerprint());
            Generation generation = second.generate(GenerationRequest.of("Once upon a time", 12, 42, "[EOS]"));
            assertThat(generation.text()).isNotBlank();
            assertThat(felix.context().getService(failure).getMessage()).as("the backend's reason")
                    .isEqualTo(notAModel + " is not a GGUF file (it does not start with GGUF)");
            assertThat(failure.getProperty(LlamaCppBackend.MODEL_PATH)).isEqualTo(notAModel.toString());
            felix.context().ungetService(defaultModel);
            felix.context().ungetService(tiny);
            felix.context().ungetService(failure);

            deleteConfiguration(felix, onDemandPid);
            deleteConfiguration(felix, brokenPid);
            awaitGone(felix.context(), Generator.class, onDemandPid);
            awaitGone(felix.context(), Throwable.class, brokenPid);
            assertThat(felix.context().getServiceReferences(Generator.class, null)).as("the singleton's model stays")
                    .containsExactly(defaultModel);
        }
    }

    /** Creates a factory configuration as the worker does (ConfigAdmin 1.6, location "?") and returns its PID. */
    private static String factoryConfiguration(FelixRuntime felix, String name, Dictionary<String, Object> properties)
            throws ReflectiveOperationException {
        Object admin = configurationAdmin(felix);
        Object configuration = admin.getClass()
                .getMethod("getFactoryConfiguration", String.class, String.class, String.class)
                .invoke(admin, LlamaCppModelComponent.FACTORY_PID, name, "?");
        configuration.getClass().getMethod("update", Dictionary.class).invoke(configuration, properties);
        return (String) configuration.getClass().getMethod("getPid").invoke(configuration);
    }

    private static void deleteConfiguration(FelixRuntime felix, String pid) throws ReflectiveOperationException {
        Object admin = configurationAdmin(felix);
        Object configuration = admin.getClass().getMethod("getConfiguration", String.class, String.class)
                .invoke(admin, pid, "?");
        configuration.getClass().getMethod("delete").invoke(configuration);
    }

    /** ConfigAdmin's API is not on the test class path: reflection, as {@link FelixRuntime#configure} does. */
    private static Object configurationAdmin(FelixRuntime felix) {
        ServiceReference<?> reference = felix.context().getServiceReference("org.osgi.service.cm.ConfigurationAdmin");
        assertThat(reference).as("ConfigurationAdmin").isNotNull();
        return felix.context().getService(reference);
    }

    private static <T> ServiceReference<T> await(BundleContext context, Class<T> type, String configPid)
            throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            Collection<ServiceReference<T>> found = context.getServiceReferences(type, filter(configPid));
            if (!found.isEmpty()) {
                return found.iterator().next();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no " + type.getSimpleName() + " service for configuration " + configPid);
    }

    private static void awaitGone(BundleContext context, Class<?> type, String configPid) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!context.getServiceReferences(type, filter(configPid)).isEmpty()) {
            assertThat(System.nanoTime()).as(type.getSimpleName() + " of " + configPid + " still registered")
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static String filter(String configPid) {
        return "(" + LlamaCppBackend.CONFIG_PID + "=" + configPid + ")";
    }
}
