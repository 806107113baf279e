package dev.steadytext.backend.onnx.internal;

import java.io.IOException;
import java.nio.file.Path;

/**
 * ONNX Runtime's native libraries, extracted into a directory this runtime owns.
 *
 * <p>Left alone, ONNX Runtime extracts its libraries into a fresh {@code onnxruntime-java*} directory under
 * {@code java.io.tmpdir} on every start and leaves it behind. With {@code onnxruntime.native.path} pointing at
 * libraries we extracted, it loads those and creates nothing. The property is JVM-wide and is read when
 * {@code ai.onnxruntime.OnnxRuntime} initialises, so it is set before the first ONNX Runtime class is touched.
 *
 * @param sha256 SHA-256 of {@code libonnxruntime.so}
 */
record OrtNativeLibrary(String sha256) {

    static final String NATIVE_PATH_PROPERTY = "onnxruntime.native.path";
    private static final String RESOURCES = "/ai/onnxruntime/native/linux-x64/";

    /** Extracts both libraries under {@code dir} unless identical copies are there, and sets the property. */
    static OrtNativeLibrary prepare(Path dir, ResourceFiles resources) throws IOException {
        String os = System.getProperty("os.name", "");
        String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("Linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            throw new IllegalStateException("the ONNX backend bundles the linux-x64 native libraries only, but this JVM"
                    + " runs on " + os + " " + arch + "; run the worker on Linux x86_64");
        }
        String runtime = RESOURCES + "libonnxruntime.so";
        String jni = RESOURCES + "libonnxruntime4j_jni.so";
        Path lib = resources.directoryFor(dir, runtime, jni);
        String sha256 = resources.extract(runtime, lib, "libonnxruntime.so");
        resources.extract(jni, lib, "libonnxruntime4j_jni.so");
        System.setProperty(NATIVE_PATH_PROPERTY, lib.toAbsolutePath().toString());
        return new OrtNativeLibrary(sha256);
    }
}
