package dev.steadytext.benchmarks;

import java.util.Locale;
import java.util.Optional;

/**
 * One row of a figure: a measured value, the reference it is divided by, and the goal for the ratio (or for the value
 * itself when a figure has an absolute goal).
 *
 * <p>Rows travel from the figure processes to the launcher as single lines ({@link #toLine()}), so that each figure
 * group can run in its own JVM.
 *
 * @param figure the figure's name, as selected on the command line
 * @param metric what was measured, with its unit
 * @param value the measured value
 * @param reference the reference value measured in the same run, or NaN when the figure has an absolute goal
 * @param goal what {@link #checked()} must reach, e.g. {@code ratio >= 0.6} or {@code value <= 2}; empty for information
 * @param note how it was measured, in a few words
 */
record Result(String figure, String metric, double value, double reference, Goal goal, String note) {

    private static final String PREFIX = "@result\t";

    /** A row with no reference. */
    static Result absolute(String figure, String metric, double value, Goal goal, String note) {
        return new Result(figure, metric, value, Double.NaN, goal, note);
    }

    /** A row measured against a reference. */
    static Result ratio(String figure, String metric, double value, double reference, Goal goal, String note) {
        return new Result(figure, metric, value, reference, goal, note);
    }

    /** A figure that could not be measured, and why. */
    static Result skipped(String figure, String why) {
        return new Result(figure, "skipped", Double.NaN, Double.NaN, Goal.NONE, why);
    }

    boolean hasReference() {
        return !Double.isNaN(reference);
    }

    double ratio() {
        return hasReference() ? value / reference : Double.NaN;
    }

    /** What the goal is compared with: the ratio when there is a reference, else the value. */
    double checked() {
        return hasReference() ? ratio() : value;
    }

    /** "met", "NOT met", or "" for an informational row. */
    String verdict() {
        return goal.isNone() || Double.isNaN(checked()) ? "" : goal.test(checked()) ? "met" : "NOT met";
    }

    String toLine() {
        return PREFIX + String.join("\t", figure, metric, Double.toString(value), Double.toString(reference),
                goal.toString(), note.replace('\t', ' ').replace('\n', ' '));
    }

    static Optional<Result> parse(String line) {
        if (!line.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] f = line.substring(PREFIX.length()).split("\t", -1);
        return Optional.of(new Result(f[0], f[1], Double.parseDouble(f[2]), Double.parseDouble(f[3]),
                Goal.parse(f[4]), f[5]));
    }

    static String format(double number) {
        if (Double.isNaN(number)) {
            return "";
        }
        double magnitude = Math.abs(number);
        String pattern = magnitude >= 100 ? "%,.0f" : magnitude >= 10 ? "%.1f" : magnitude >= 1 ? "%.2f" : "%.3f";
        return String.format(Locale.ROOT, pattern, number);
    }

    /** A threshold on a ratio or value: {@code >= 0.6}, {@code <= 3}; {@link #NONE} for informational rows. */
    record Goal(String operator, double threshold) {

        static final Goal NONE = new Goal("", Double.NaN);

        static Goal atLeast(double threshold) {
            return new Goal(">=", threshold);
        }

        static Goal atMost(double threshold) {
            return new Goal("<=", threshold);
        }

        boolean isNone() {
            return operator.isEmpty();
        }

        boolean test(double x) {
            return operator.equals(">=") ? x >= threshold : x <= threshold;
        }

        static Goal parse(String text) {
            if (text.isEmpty()) {
                return NONE;
            }
            String[] parts = text.split(" ");
            return new Goal(parts[0], Double.parseDouble(parts[1]));
        }

        /** For people: {@code >= 2,000}. */
        String display() {
            return isNone() ? "" : operator + " " + Result.format(threshold);
        }

        /** For the wire between processes: {@link #parse} reads it back. */
        @Override
        public String toString() {
            return isNone() ? "" : operator + " " + threshold;
        }
    }
}
