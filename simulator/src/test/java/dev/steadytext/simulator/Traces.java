package dev.steadytext.simulator;

import dev.steadytext.simulator.policy.AccessEvent;
import java.util.HashMap;
import java.util.Map;

/** Hand-made traces for tests: one letter or word per access, every entry 100 bytes and 10 ms unless said. */
final class Traces {

    private Traces() {
    }

    static Trace of(String... keys) {
        Map<String, AccessEvent> events = new HashMap<>();
        AccessEvent[] trace = new AccessEvent[keys.length];
        for (int i = 0; i < keys.length; i++) {
            trace[i] = events.computeIfAbsent(keys[i], k -> new AccessEvent(k, 100, 10));
        }
        return new Trace("test", trace);
    }

    static Trace ofWords(String words) {
        return of(words.split(" "));
    }
}
