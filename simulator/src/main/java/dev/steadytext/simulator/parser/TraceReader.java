package dev.steadytext.simulator.parser;

import dev.steadytext.simulator.policy.AccessEvent;
import java.util.stream.Stream;

/** A source of accesses: a synthetic generator or a recorded trace file. Each call replays the same trace. */
public interface TraceReader {

    /** A short name for reports, such as {@code zipf-0.8}. */
    String name();

    /** The accesses, in order. */
    Stream<AccessEvent> events();
}
