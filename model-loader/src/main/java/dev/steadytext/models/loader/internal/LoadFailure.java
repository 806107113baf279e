package dev.steadytext.models.loader.internal;

/**
 * Why a model was not loaded, as the waiting SQL callers will see it: the message, which names the model and says
 * what to do, and the SQLSTATE they raise it with.
 */
final class LoadFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** The model arguments name no model of the registry (or contradict it). */
    static final String INVALID_ARGUMENT = "22023";
    /** Anything else the worker reports. */
    static final String WORKER_FAILURE = "P0001";

    private final String sqlState;
    private final boolean downloadRefused;

    private LoadFailure(String message, String sqlState, boolean downloadRefused, Throwable cause) {
        super(message, cause);
        this.sqlState = sqlState;
        this.downloadRefused = downloadRefused;
    }

    static LoadFailure invalidArgument(String message) {
        return new LoadFailure(message, INVALID_ARGUMENT, false, null);
    }

    static LoadFailure of(String message) {
        return new LoadFailure(message, WORKER_FAILURE, false, null);
    }

    static LoadFailure of(String message, Throwable cause) {
        return new LoadFailure(message, WORKER_FAILURE, false, cause);
    }

    /** The file must be downloaded, and no caller who may make the worker download is waiting. */
    static LoadFailure downloadRefused(String message) {
        return new LoadFailure(message, WORKER_FAILURE, true, null);
    }

    String sqlState() {
        return sqlState;
    }

    /** Whether a caller with the right to download, joining meanwhile, would have let the load go on. */
    boolean downloadRefused() {
        return downloadRefused;
    }
}
