package dev.steadytext.simulator.report;

import dev.steadytext.simulator.Result;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Writes every result as one CSV row: the rates as fractions, and each also as a percentage of Belady's. */
public final class CsvReport {

    static final String HEADER = "trace,bound,capacity,policy,requests,hit_rate,byte_hit_rate,penalty_hit_rate,"
            + "hit_rate_pct_of_belady,byte_hit_rate_pct_of_belady,penalty_hit_rate_pct_of_belady,evictions";

    private CsvReport() {
    }

    public static void write(Results results, Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(HEADER + "\n");
            for (Result r : results.all()) {
                out.write(String.format(Locale.ROOT, "%s,%s,%d,%s,%d,%.4f,%.4f,%.4f,%.1f,%.1f,%.1f,%d%n",
                        r.trace(), r.budget().bound().name().toLowerCase(Locale.ROOT), r.budget().capacity(),
                        r.policy(), r.stats().requests(), r.stats().hitRate(), r.stats().byteHitRate(),
                        r.stats().penaltyHitRate(), results.percentOfBelady(r, Metric.HIT_RATE),
                        results.percentOfBelady(r, Metric.BYTE_HIT_RATE),
                        results.percentOfBelady(r, Metric.PENALTY_HIT_RATE), r.stats().evictions()));
            }
        }
    }
}
