package dev.steadytext.platform;

import java.util.List;

/** The platform could not start, or a service it should offer is not available; {@link #problems()} says why. */
public final class PlatformException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public PlatformException(String message, List<String> problems, Throwable cause) {
        super(problems.isEmpty() ? message : message + ":\n  - " + String.join("\n  - ", problems), cause);
        this.problems = List.copyOf(problems);
    }

    public PlatformException(String message, Throwable cause) {
        this(message, List.of(), cause);
    }

    /** One line per thing found wrong (a bundle that did not start, an unsatisfied component), possibly empty. */
    public List<String> problems() {
        return problems;
    }
}
