package dev.steadytext.simulator.report;

import dev.steadytext.simulator.Registry;
import dev.steadytext.simulator.Registry.Kind;
import dev.steadytext.simulator.Result;
import dev.steadytext.simulator.policy.Budget;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * The text report: per budget kind and metric, a table of every policy's rate at each cache size with its percentage
 * of Belady's, then the goals checked against the figures.
 */
public final class Summary {

    private static final String ARC = "steadytext.arc";
    private static final String LRU = "steadytext.lru";

    private final Results results;
    private final PrintStream out;

    public Summary(Results results, PrintStream out) {
        this.results = results;
        this.out = out;
    }

    public void printTables(Budget.Bound bound) {
        List<Budget> budgets = results.budgets(bound);
        if (budgets.isEmpty()) {
            return;
        }
        for (Metric metric : Metric.values()) {
            out.printf(Locale.ROOT, "%n== Budget in %s: %s in %% (and as %% of Belady's) ==%n",
                    bound.name().toLowerCase(Locale.ROOT), metric.label());
            out.printf(Locale.ROOT, "%-11s %-20s", "trace", "policy");
            for (Budget budget : budgets) {
                out.printf(Locale.ROOT, " %15s", budget);
            }
            out.println();
            for (String trace : results.traces()) {
                for (String policy : results.policies()) {
                    out.printf(Locale.ROOT, "%-11s %-20s", trace, policy);
                    for (Budget budget : budgets) {
                        Result r = results.get(trace, budget, policy);
                        out.printf(Locale.ROOT, " %6.2f (%5.1f%%)", 100 * metric.of(r.stats()),
                                results.percentOfBelady(r, metric));
                    }
                    out.println();
                }
            }
        }
    }

    /** Checks the goals on the hit rate: ARC ≥ LRU everywhere, and our best within 5% of Caffeine on Zipf. */
    public void printGoals() {
        out.printf(Locale.ROOT, "%n== Goals (hit rate) ==%n");
        double worstArcMargin = Double.POSITIVE_INFINITY;
        String worstArcWhere = "";
        double scanMarginMin = Double.POSITIVE_INFINITY;
        double scanMarginMax = Double.NEGATIVE_INFINITY;
        double worstRatio = Double.POSITIVE_INFINITY;
        String worstRatioWhere = "";
        for (String trace : results.traces()) {
            for (Budget.Bound bound : Budget.Bound.values()) {
                for (Budget budget : results.budgets(bound)) {
                    double margin = 100 * (hitRate(trace, budget, ARC) - hitRate(trace, budget, LRU));
                    if (margin < worstArcMargin) {
                        worstArcMargin = margin;
                        worstArcWhere = trace + ", " + budget;
                    }
                    if (trace.startsWith("scan")) {
                        scanMarginMin = Math.min(scanMarginMin, margin);
                        scanMarginMax = Math.max(scanMarginMax, margin);
                    }
                    if (trace.startsWith("zipf")) {
                        Result best = bestOfOurs(trace, budget);
                        double ratio = 100 * best.stats().hitRate() / hitRate(trace, budget, Registry.CAFFEINE);
                        if (ratio < worstRatio) {
                            worstRatio = ratio;
                            worstRatioWhere = trace + ", " + budget + ", best of ours " + best.policy();
                        }
                    }
                }
            }
        }
        out.printf(Locale.ROOT, "ARC >= LRU on every trace and size: %s (smallest margin %+.2f points: %s)%n",
                worstArcMargin >= 0 ? "yes" : "NO", worstArcMargin, worstArcWhere);
        if (scanMarginMin != Double.POSITIVE_INFINITY) {
            out.printf(Locale.ROOT, "ARC over LRU on the scan-polluted trace: %+.2f to %+.2f points%n",
                    scanMarginMin, scanMarginMax);
        }
        if (worstRatio != Double.POSITIVE_INFINITY) {
            out.printf(Locale.ROOT, "Our best within 5%% of W-TinyLFU on Zipf: %s (worst: %.1f%% of Caffeine's hit rate"
                    + " at %s)%n", worstRatio >= 95 ? "yes" : "NO", worstRatio, worstRatioWhere);
        }
    }

    private Result bestOfOurs(String trace, Budget budget) {
        Result best = null;
        for (String policy : results.policies()) {
            Result r = results.get(trace, budget, policy);
            if (r.kind() == Kind.OURS && (best == null || r.stats().hitRate() > best.stats().hitRate())) {
                best = r;
            }
        }
        return best;
    }

    private double hitRate(String trace, Budget budget, String policy) {
        Result r = results.get(trace, budget, policy);
        return r == null ? Double.NaN : r.stats().hitRate();
    }
}
