package dev.steadytext.models;

/**
 * The model arguments of a call name no usable model; {@link #argument()} is the SQL argument at fault
 * ({@code model}, {@code model_repo}, {@code model_filename} or {@code size}) and the message says what is wrong
 * and what would be right. SQL callers see it as SQLSTATE 22023.
 */
public final class ModelResolutionException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String argument;

    public ModelResolutionException(String argument, String message) {
        super(message);
        this.argument = argument;
    }

    /** The SQL argument at fault. */
    public String argument() {
        return argument;
    }
}
