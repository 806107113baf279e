package dev.steadytext.benchmarks;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The figures of docs/benchmarks.md, in report order, each with the group that measures it. A group runs in a JVM
 * of its own: llama.cpp's native library can be loaded only once per JVM, each platform start wants a clean process,
 * and one figure's JIT and heap state should not flatter the next.
 */
enum Figure {
    CACHE_HIT("cache-hit", Group.CACHE_HIT, "steadytext_generate hits vs a plain indexed SELECT (pgbench, 8 clients)"),
    EMBEDDINGS("embeddings", Group.EMBEDDINGS, "in-process OnnxEmbedder vs LangChain4j AllMiniLmL6V2EmbeddingModel"),
    READY("ready", Group.READY, "platform start until the worker serves, schema already installed"),
    SQL_EMBEDDINGS("sql-embeddings", Group.PLATFORM, "steadytext_embed_batch vs the same Embedder called in-process"),
    GENERATION("generation", Group.PLATFORM, "steadytext_generate tokens/s vs LlamaCppGenerator called in-process"),
    GRAMMAR("grammar", Group.PLATFORM, "structured generation's decoding speed vs plain generation, same backend"),
    STREAM("stream", Group.PLATFORM, "steadytext_generate_stream's time to first row vs steadytext_generate's time"),
    RERANK("rerank", Group.PLATFORM, "steadytext_rerank documents/s vs the same Reranker called in-process"),
    SYNC_MISS("sync-miss", Group.NOOP, "steadytext_generate misses answered by a no-op generator"),
    QUEUE("queue", Group.NOOP, "steadytext_generate_batch_async jobs completed by the worker, no-op generator"),
    EVICTION("eviction", Group.EVICTION, "evicting 10,000 of 100,000 entries, and hits served meanwhile (pgbench)"),
    TRACE("trace", Group.TRACE, "access traces recorded through the platform's access log, for the simulator");

    /** The JVMs the figures run in, in run order. */
    enum Group { CACHE_HIT, EMBEDDINGS, READY, PLATFORM, NOOP, EVICTION, TRACE }

    private final String id;
    private final Group group;
    private final String description;

    Figure(String id, Group group, String description) {
        this.id = id;
        this.group = group;
        this.description = description;
    }

    String id() {
        return id;
    }

    Group group() {
        return group;
    }

    String description() {
        return description;
    }

    static Figure byId(String id) {
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown figure " + id + "; one of " + ids()));
    }

    static String ids() {
        return Arrays.stream(values()).map(Figure::id).collect(Collectors.joining(" "));
    }

    static List<Figure> parseList(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(",")).filter(s -> !s.isBlank()).map(Figure::byId).toList();
    }
}
