package dev.steadytext.simulator;

import dev.steadytext.simulator.Registry.PolicySpec;
import dev.steadytext.simulator.policy.AccessEvent;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.Policy;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replays traces through policies under budgets: every (trace, budget, policy) is an independent run with a fresh
 * policy, so runs go in parallel and each is deterministic.
 */
public final class Simulation {

    private Simulation() {
    }

    /** Runs one policy over one trace. */
    public static Result run(Trace trace, Budget budget, PolicySpec spec, long accessIntervalMillis) {
        Policy policy = spec.create(budget, accessIntervalMillis);
        for (AccessEvent event : trace.events()) {
            policy.record(event);
        }
        policy.finished();
        return new Result(trace.name(), budget, spec.name(), spec.kind(), policy.stats());
    }

    /** Every combination, on {@code threads} threads; results in the order trace, budget, policy. */
    public static List<Result> sweep(List<Trace> traces, List<Budget> budgets, List<PolicySpec> policies,
            long accessIntervalMillis, int threads) throws InterruptedException {
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Result>> futures = new ArrayList<>();
            for (Trace trace : traces) {
                for (Budget budget : budgets) {
                    for (PolicySpec spec : policies) {
                        futures.add(executor.submit(() -> run(trace, budget, spec, accessIntervalMillis)));
                    }
                }
            }
            List<Result> results = new ArrayList<>(futures.size());
            for (Future<Result> future : futures) {
                results.add(future.get());
            }
            return results;
        } catch (ExecutionException e) {
            throw new IllegalStateException("a simulation run failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            executor.shutdownNow();
        }
    }
}
