package dev.steadytext.simulator;

import dev.steadytext.simulator.parser.TraceReader;
import dev.steadytext.simulator.policy.AccessEvent;
import java.util.stream.Stream;

/**
 * A trace read once into memory, so that every policy replays the same events without generating or parsing them
 * again. Events of one key are one shared object, so this costs a reference per access.
 */
public record Trace(String name, AccessEvent[] events) {

    public static Trace read(TraceReader reader) {
        try (Stream<AccessEvent> events = reader.events()) {
            return new Trace(reader.name(), events.toArray(AccessEvent[]::new));
        }
    }

    public long distinctKeys() {
        return Stream.of(events).map(AccessEvent::key).distinct().count();
    }
}
