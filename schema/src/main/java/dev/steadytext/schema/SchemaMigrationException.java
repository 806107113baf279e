package dev.steadytext.schema;

/** The schema could not be installed or upgraded; the message says why and, where it can, what to do. */
public class SchemaMigrationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SchemaMigrationException(String message) {
        super(message);
    }

    public SchemaMigrationException(String message, Throwable cause) {
        super(message, cause);
    }
}
