package dev.steadytext.models;

import java.io.IOException;

/**
 * A model's file cannot be made available: its download is forbidden or failed, or its checksum is wrong. The
 * message says what happened and what to do; {@link #reason()} says which case it is.
 */
public final class ModelFileException extends IOException {

    private static final long serialVersionUID = 1L;

    /** Why the file is not available. */
    public enum Reason {
        /** The file is not in the cache and downloads are forbidden; the message says which file to place where. */
        DOWNLOADS_FORBIDDEN,
        /** The file's SHA-256 differs from the expected one (the bad file has been deleted). */
        CHECKSUM_MISMATCH,
        /** Neither the registry nor the server gives a SHA-256 to verify the download against. */
        NO_CHECKSUM,
        /** The server answered with an error status (not found, forbidden, ...). */
        SERVER_REFUSED,
        /** The connection failed or broke, repeatedly; the partial file is kept so the next try resumes. */
        TRANSFER_FAILED,
        /** A model configured by path has no file there. */
        LOCAL_FILE_MISSING,
        /** The model has no file of the cache to act on: it is bundled, or (for removal) configured by path. */
        NO_FILE
    }

    private final Reason reason;

    public ModelFileException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public ModelFileException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
