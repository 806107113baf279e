package dev.steadytext.simulator;

import dev.steadytext.simulator.Registry.Kind;
import dev.steadytext.simulator.policy.Budget;
import dev.steadytext.simulator.policy.PolicyStats;

/** One policy's figures on one trace under one budget. */
public record Result(String trace, Budget budget, String policy, Kind kind, PolicyStats stats) {
}
