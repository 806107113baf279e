package dev.steadytext.queue.postgres.internal;

import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.model.ModelKind;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A group of results laid out as the column arrays of {@link Queries#INSERT_CACHE} and {@link Queries#COMPLETE}.
 *
 * <p>Every vector goes once into one flat {@code float[]}, which pgjdbc sends in binary (exact, and no text to format
 * or parse); rows refer to their vector by its 1-based start and length. A single-input job's vector is shared by
 * its cache row and its queue row.
 */
final class CompletionBatch {

    private final List<String> cacheKeys = new ArrayList<>();
    private final List<String> kinds = new ArrayList<>();
    private final List<String> fingerprints = new ArrayList<>();
    private final List<String> prompts = new ArrayList<>();
    private final List<String> responses = new ArrayList<>();
    private final List<Integer> seeds = new ArrayList<>();
    private final List<String> eosStrings = new ArrayList<>();
    private final List<String> params = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final List<Long> cacheMillis = new ArrayList<>();
    private final List<Integer> cacheVectorStarts = new ArrayList<>();
    private final List<Integer> cacheVectorLengths = new ArrayList<>();

    private final List<UUID> jobIds = new ArrayList<>();
    private final List<String> jobResults = new ArrayList<>();
    private final List<Integer> jobVectorStarts = new ArrayList<>();
    private final List<Integer> jobVectorLengths = new ArrayList<>();
    private final List<Long> jobMillis = new ArrayList<>();

    private final List<JobResult> batchJobs = new ArrayList<>();
    private float[] flat = new float[1024];
    private int flatLength;

    CompletionBatch(List<JobResult> results) {
        results.forEach(this::add);
    }

    private void add(JobResult result) {
        Job job = result.job();
        if (job.type() == RequestType.RERANK) {
            addReranked(result);
            return;
        }
        boolean generation = job.type().modelKind() == ModelKind.GENERATION;
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < job.inputs().size(); i++) {
            starts.add(generation ? null : append(result.embeddings().get(i)));
        }
        if (job.useCache()) {
            for (int i = 0; i < job.inputs().size(); i++) {
                addCacheRow(result, i, starts.get(i));
            }
        }
        if (job.type() == RequestType.EMBED_BATCH) {
            batchJobs.add(result);
            return;
        }
        jobIds.add(job.requestId());
        jobResults.add(generation ? result.texts().get(0) : null);
        jobVectorStarts.add(starts.get(0));
        jobVectorLengths.add(generation ? null : result.embeddings().get(0).length);
        jobMillis.add(result.computeMillis());
    }

    private void addCacheRow(JobResult result, int input, Integer vectorStart) {
        Job job = result.job();
        boolean generation = vectorStart == null;
        cacheKeys.add(job.cacheKeys().get(input));
        kinds.add(job.type().modelKind().sqlName());
        fingerprints.add(job.modelFingerprint());
        prompts.add(job.inputs().get(input));
        cacheMillis.add(result.computeMillis());
        if (generation) {
            String text = result.texts().get(input);
            responses.add(text);
            seeds.add(job.seed());
            eosStrings.add(job.eosString());
            params.add(generationParams(job));
            sizes.add(text.getBytes(StandardCharsets.UTF_8).length);
            cacheVectorStarts.add(null);
            cacheVectorLengths.add(null);

        } else {
            float[] vector = result.embeddings().get(input);
            responses.add(null);
            seeds.add(null);
            eosStrings.add(null);
            params.add("{}");
            sizes.add(vector.length * Float.BYTES);
            cacheVectorStarts.add(vectorStart);
            cacheVectorLengths.add(vector.length);
        }
    }

    /**
     * A rerank job: one cache row per document, whose response is the score as {@link Double#toString} writes it
     * (the shortest decimal that reads back as the same float8, and a JSON number), and the job's result, the scores
     * as a JSON array in the order of its documents (090-reranking.sql reads both).
     */
    private void addReranked(JobResult result) {
        Job job = result.job();
        List<String> scores = result.scores().stream().map(score -> Double.toString(score)).toList();
        String keyParams = "{\"query\": " + jsonString(job.rerank().query()) + ", \"task\": "
                + jsonString(job.rerank().task()) + "}";
        for (int i = 0; job.useCache() && i < job.inputs().size(); i++) {
            cacheKeys.add(job.cacheKeys().get(i));
            kinds.add(job.type().modelKind().sqlName());
            fingerprints.add(job.modelFingerprint());
            prompts.add(job.inputs().get(i));
            responses.add(scores.get(i));
            seeds.add(null);
            eosStrings.add(null);
            params.add(keyParams);
            sizes.add(scores.get(i).length());
            cacheMillis.add(result.computeMillis());
            cacheVectorStarts.add(null);
            cacheVectorLengths.add(null);
        }
        jobIds.add(job.requestId());
        jobResults.add("[" + String.join(",", scores) + "]");
        jobVectorStarts.add(null);
        jobVectorLengths.add(null);
        jobMillis.add(result.computeMillis());
    }

    /**
     * The generation_params of a cache row: max_tokens, and a structured generation's constraint under the name and in
     * the form of its cache key (schema and choices as JSON, a pattern as a string).
     */
    private static String generationParams(Job job) {
        StringBuilder json = new StringBuilder("{\"max_tokens\": ").append(job.maxTokens());
        job.constraint().keyParameters().forEach((name, value) -> json.append(", ").append(jsonString(name))
                .append(": ").append(job.constraint() instanceof OutputConstraint.Regex ? jsonString(value) : value));
        return json.append('}').toString();
    }

    /** A JSON string literal; PostgreSQL text holds no NUL, the one character jsonb would refuse. */
    static String jsonString(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Appends a vector to the flat array; returns its 1-based start, as SQL slices count. */
    private int append(float[] vector) {
        if (flatLength + vector.length > flat.length) {
            flat = Arrays.copyOf(flat, Math.max(flat.length * 2, flatLength + vector.length));
        }
        System.arraycopy(vector, 0, flat, flatLength, vector.length);
        int start = flatLength + 1;
        flatLength += vector.length;
        return start;
    }

    /**
     * Inserts the cache rows, completes the single-input jobs and wakes the streams' readers in one statement
     * ({@link Queries#COMPLETE_WITH_CACHE_ROWS}): in autocommit, one round trip between the result and its waiting
     * caller.
     */
    void completeInOneStatement(Connection connection, UUID workerId, Object[] notified) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(Queries.COMPLETE_WITH_CACHE_ROWS)) {
            int next = setCacheRows(statement, connection, 1);
            next = setCompletions(statement, connection, next, workerId);
            statement.setArray(next, connection.createArrayOf("uuid", notified));
            statement.execute();
        }
    }

    /** Sets the 13 parameters of {@link Queries#INSERT_CACHE} from {@code first} on; returns the next index. */
    private int setCacheRows(PreparedStatement insert, Connection connection, int first) throws SQLException {
        int i = first;
        insert.setArray(i++, connection.createArrayOf("text", cacheKeys.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", kinds.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", fingerprints.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", prompts.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", responses.toArray()));
        insert.setArray(i++, connection.createArrayOf("int4", seeds.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", eosStrings.toArray()));
        insert.setArray(i++, connection.createArrayOf("text", params.toArray()));
        insert.setArray(i++, connection.createArrayOf("int4", sizes.toArray()));
        insert.setArray(i++, connection.createArrayOf("int8", cacheMillis.toArray()));
        insert.setArray(i++, connection.createArrayOf("int4", cacheVectorStarts.toArray()));
        insert.setArray(i++, connection.createArrayOf("int4", cacheVectorLengths.toArray()));
        insert.setObject(i++, flatVectors()); // a primitive array: pgjdbc sends it in binary
        return i;
    }

    /** Sets the 7 parameters of {@link Queries#COMPLETE} from {@code first} on; returns the next index. */
    private int setCompletions(PreparedStatement complete, Connection connection, int first, UUID workerId)
            throws SQLException {
        int i = first;
        complete.setArray(i++, connection.createArrayOf("uuid", jobIds.toArray()));
        complete.setArray(i++, connection.createArrayOf("text", jobResults.toArray()));
        complete.setArray(i++, connection.createArrayOf("int4", jobVectorStarts.toArray()));
        complete.setArray(i++, connection.createArrayOf("int4", jobVectorLengths.toArray()));
        complete.setArray(i++, connection.createArrayOf("int8", jobMillis.toArray()));
        complete.setObject(i++, flatVectors());
        complete.setObject(i++, workerId);
        return i;
    }

    /** Whether the group has embed_batch jobs, which {@link #completeBatchJobs} completes one by one. */
    boolean hasBatchJobs() {
        return !batchJobs.isEmpty();
    }

    /** Completes the embed_batch jobs this worker still holds, each with its 2-D array of vectors. */
    void completeBatchJobs(Connection connection, UUID workerId) throws SQLException {
        try (PreparedStatement complete = connection.prepareStatement(Queries.COMPLETE_BATCH)) {
            for (JobResult result : batchJobs) {
                complete.setArray(1, connection.createArrayOf("float4", boxedRows(result.embeddings())));
                complete.setLong(2, result.computeMillis());
                complete.setObject(3, result.job().requestId());
                complete.setObject(4, workerId);
                complete.addBatch();
            }
            complete.executeBatch();
        }
    }

    private static Float[][] boxedRows(List<float[]> vectors) {
        Float[][] rows = new Float[vectors.size()][];
        for (int i = 0; i < rows.length; i++) {
            float[] vector = vectors.get(i);
            rows[i] = new Float[vector.length];
            for (int j = 0; j < vector.length; j++) {
                rows[i][j] = vector[j];
            }
        }
        return rows;
    }

    private float[] flatVectors() {
        return flatLength == flat.length ? flat : Arrays.copyOf(flat, flatLength);
    }
}
