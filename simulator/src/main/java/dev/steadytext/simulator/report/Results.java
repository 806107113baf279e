package dev.steadytext.simulator.report;

import dev.steadytext.simulator.Registry;
import dev.steadytext.simulator.Result;
import dev.steadytext.simulator.policy.Budget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The results of a sweep, looked up by trace, budget and policy, in the order they were run. */
public final class Results {

    private final Map<String, Result> byKey = new LinkedHashMap<>();
    private final Set<String> traces = new LinkedHashSet<>();
    private final Set<String> policies = new LinkedHashSet<>();
    private final Set<Budget> budgets = new LinkedHashSet<>();

    public Results(List<Result> results) {
        for (Result result : results) {
            byKey.put(key(result.trace(), result.budget(), result.policy()), result);
            traces.add(result.trace());
            policies.add(result.policy());
            budgets.add(result.budget());
        }
    }

    private static String key(String trace, Budget budget, String policy) {
        return trace + "|" + budget + "|" + policy;
    }

    public List<String> traces() {
        return new ArrayList<>(traces);
    }

    public List<String> policies() {
        return new ArrayList<>(policies);
    }

    public List<Budget> budgets(Budget.Bound bound) {
        return budgets.stream().filter(b -> b.bound() == bound).toList();
    }

    public List<Result> all() {
        return new ArrayList<>(byKey.values());
    }

    public Result get(String trace, Budget budget, String policy) {
        return byKey.get(key(trace, budget, policy));
    }

    /** A rate as a percentage of Belady's under the same trace and budget (NaN if Belady hit nothing). */
    public double percentOfBelady(Result result, Metric metric) {
        Result belady = get(result.trace(), result.budget(), Registry.BELADY);
        double optimum = belady == null ? 0 : metric.of(belady.stats());
        return optimum == 0 ? Double.NaN : 100 * metric.of(result.stats()) / optimum;
    }
}
