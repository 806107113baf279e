package dev.steadytext.queue.postgres.internal;

import dev.steadytext.api.generate.OutputConstraint;
import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobQueue;
import dev.steadytext.api.queue.JobResult;
import dev.steadytext.api.queue.RequestType;
import dev.steadytext.api.rerank.RerankQuery;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The job queue over the {@code steadytext_queue} table. */
@Component(service = JobQueue.class, configurationPid = "dev.steadytext.queue")
@Designate(ocd = PostgresJobQueue.Config.class)
public final class PostgresJobQueue implements JobQueue {

    @ObjectClassDefinition(name = "SteadyText job queue")
    public @interface Config {
        /** First retry delay; each further attempt doubles it. */
        long retryBaseMillis() default 1_000;

        long retryMaxMillis() default 60_000;
    }

    private final DataSource dataSource;
    private final Config config;
    private final NotificationListener listener;
    private final JobWakeLocks wakeLocks;
    private volatile long lastAbandonedCheck;

    @Activate
    public PostgresJobQueue(@Reference DataSource dataSource, Config config) {
        this.dataSource = dataSource;
        this.config = config;
        this.listener = new NotificationListener(dataSource);
        this.wakeLocks = new JobWakeLocks(dataSource);
    }

    @Deactivate
    void deactivate() {
        listener.close();
        wakeLocks.close();
    }

    @Override
    public List<Job> claim(UUID workerId, Set<RequestType> types, Set<String> modelFingerprints, int limit, Duration lease) {
        if (types.isEmpty() || modelFingerprints.isEmpty() || limit < 1) {
            return List.of();
        }
        wakeLocks.sweep(workerId);
        try {
            failAbandonedNowAndThen();
            return wakeLocks.claim(connection -> {
                try (PreparedStatement claim = connection.prepareStatement(Queries.CLAIM)) {
                    Array typeNames = connection.createArrayOf("text",
                            types.stream().map(RequestType::sqlName).toArray());
                    Array models = connection.createArrayOf("text", modelFingerprints.toArray());
                    claim.setArray(1, typeNames); // pending: request types
                    claim.setArray(2, models); // pending: models
                    claim.setInt(3, limit); // pending: most jobs
                    claim.setArray(4, typeNames); // expired: request types
                    claim.setArray(5, models); // expired: models
                    claim.setInt(6, limit); // expired: most jobs
                    claim.setInt(7, limit); // most jobs claimed
                    claim.setObject(8, workerId); // worker_id
                    claim.setLong(9, lease.toMillis()); // lease_until
                    List<Job> jobs = new ArrayList<>();
                    List<UUID> locked = new ArrayList<>();
                    try (ResultSet rows = claim.executeQuery()) {
                        while (rows.next()) {
                            Job job = job(rows);
                            jobs.add(job);
                            if (rows.getBoolean("wake_lock")) {
                                locked.add(job.requestId());
                            }
                        }
                    }
                    wakeLocks.locked(locked);
                    // UPDATE ... RETURNING gives no order; callers get the oldest first.
                    return jobs;
                }
            });
        } catch (SQLException e) {
            throw new QueueException("claiming jobs failed", e);
        }
    }

    /**
     * On a pooled connection, not the lock connection: this UPDATE may wait for a row lock (a caller's open transaction
     * holding an abandoned job), and every lane's claims and unlocks go through the lock connection.
     */
    private void failAbandonedNowAndThen() throws SQLException {
        long now = System.nanoTime();
        if (now - lastAbandonedCheck < Duration.ofSeconds(5).toNanos()) {
            return;
        }
        lastAbandonedCheck = now;
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(Queries.FAIL_ABANDONED)) {
            statement.execute();
        }
    }

    private static Job job(ResultSet row) throws SQLException {
        RequestType type = RequestType.ofSqlName(row.getString(2));
        if (type == RequestType.RERANK) {
            return rerankJob(row);
        }
        List<String> inputs;
        List<String> keys;
        if (type == RequestType.EMBED_BATCH) {
            inputs = List.of((String[]) row.getArray(7).getArray());
            keys = List.of((String[]) row.getArray(8).getArray());
        } else {
            inputs = List.of(row.getString(6));
            keys = List.of(row.getString(5));
        }
        return new Job(row.getObject(1, UUID.class), type, row.getString(3), row.getBoolean(4), inputs, keys,
                row.getInt(9), row.getInt(10), row.getString(11), row.getInt(12), constraint(row),
                row.getBoolean("stream"));
    }

    /** A rerank job: the query is the prompt; task, documents and their keys are in params. */
    private static Job rerankJob(ResultSet row) throws SQLException {
        return Job.rerank(row.getObject(1, UUID.class), row.getString(3),
                List.of((String[]) row.getArray("rerank_documents").getArray()),
                List.of((String[]) row.getArray("rerank_keys").getArray()),
                new RerankQuery(row.getString(6), row.getString("rerank_task")), row.getInt(12));
    }

    private static OutputConstraint constraint(ResultSet row) throws SQLException {
        String[] choices = (String[]) row.getArray(16).getArray();
        if (row.getString(14) != null) {
            return new OutputConstraint.JsonSchema(row.getString(14));
        } else if (row.getString(15) != null) {
            return new OutputConstraint.Regex(row.getString(15));
        }
        return choices.length > 0 ? new OutputConstraint.Choice(List.of(choices)) : OutputConstraint.NONE;
    }

    @Override
    public void complete(UUID workerId, List<JobResult> results) {
        if (results.isEmpty()) {
            return;
        }
        CompletionBatch batch = new CompletionBatch(results);
        Object[] streamed = results.stream().map(JobResult::job).filter(Job::stream).map(Job::requestId).toArray();
        try (Connection connection = dataSource.getConnection()) {
            if (!batch.hasBatchJobs()) {
                batch.completeInOneStatement(connection, workerId, streamed);
            } else {
                // Vectors of embed_batch jobs are 2-D arrays, one row per job: the same transaction.
                connection.setAutoCommit(false);
                try {
                    batch.completeInOneStatement(connection, workerId, streamed);
                    batch.completeBatchJobs(connection, workerId);
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(true);
                }
            }
        } catch (SQLException e) {
            throw new QueueException("completing " + results.size() + " jobs failed", e);
        }
        wakeLocks.release(results.stream().map(r -> r.job().requestId()).toList());
    }

    @Override
    public void fail(UUID workerId, Job job, String error, boolean retryable) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement fail = connection.prepareStatement(Queries.FAIL)) {
            fail.setBoolean(1, !retryable);
            fail.setString(2, error);
            fail.setLong(3, config.retryBaseMillis());
            fail.setLong(4, config.retryMaxMillis());
            fail.setBoolean(5, !retryable);
            fail.setObject(6, job.requestId());
            fail.setObject(7, workerId);
            fail.execute();
        } catch (SQLException e) {
            throw new QueueException("recording the failure of " + job.requestId() + " failed", e);
        }
        wakeLocks.release(List.of(job.requestId()));
    }

    @Override
    public void release(UUID workerId, Collection<UUID> requestIds) {
        if (requestIds.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement release = connection.prepareStatement(Queries.RELEASE)) {
            release.setArray(1, connection.createArrayOf("uuid", requestIds.toArray()));
            release.setObject(2, workerId);
            release.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("releasing " + requestIds.size() + " jobs failed", e);
        }
        wakeLocks.release(requestIds);
    }

    @Override
    public int extendLeases(UUID workerId, Collection<UUID> requestIds, Duration lease) {
        if (requestIds.isEmpty()) {
            return 0;
        }
        try (Connection connection = dataSource.getConnection();
             PreparedStatement extend = connection.prepareStatement(Queries.EXTEND_LEASES)) {
            extend.setLong(1, lease.toMillis());
            extend.setArray(2, connection.createArrayOf("uuid", requestIds.toArray()));
            extend.setObject(3, workerId);
            return extend.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("extending leases failed", e);
        }
    }

    @Override
    public boolean awaitWork(Duration timeout) throws InterruptedException {
        return listener.await(EnumSet.allOf(RequestType.class), timeout);
    }

    @Override
    public boolean awaitWork(Set<RequestType> types, Duration timeout) throws InterruptedException {
        return listener.await(types, timeout);
    }
}
