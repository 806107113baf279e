package dev.steadytext.backend.onnx.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Opening and closing the ONNX Runtime sessions of this bundle's models, all the same way. */
final class OrtSessions {

    private OrtSessions() {
    }

    /** Throws, naming the file and then {@code hint}, unless every file is a readable regular file. */
    static void requireReadable(List<Path> files, String hint) throws IOException {
        for (Path file : files) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IOException(file + " does not exist or is not readable; " + hint);
            }
        }
    }

    /**
     * A session on {@code model} with its own pool of {@code intraOpThreads} and sequential execution (one inter-op
     * thread): runs on these small models gain nothing from more, and fewer moving parts keep outputs reproducible.
     *
     * @param hint what to do when the model cannot be opened, appended to the message
     */
    static OrtSession open(OrtEnvironment environment, Path model, int intraOpThreads, String hint)
            throws IOException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            return environment.createSession(model.toString(), options);
        } catch (OrtException e) {
            throw new IOException("ONNX Runtime cannot open model " + model + ": " + e.getMessage() + "; " + hint, e);
        }
    }

    /** Closes a session and its intra-op thread pool; a failure is logged, as there is nothing left to do about it. */
    static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            System.getLogger(OrtSessions.class.getName()).log(System.Logger.Level.WARNING,
                    "closing the ONNX Runtime session failed: " + e.getMessage(), e);
        }
    }
}
