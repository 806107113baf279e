package dev.steadytext.queue.postgres.internal;

import dev.steadytext.api.queue.Job;
import dev.steadytext.api.queue.JobStreams;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Streaming jobs' output over the unlogged {@code steadytext_stream_chunks} table: one autocommitted statement per
 * piece, which also answers whether the job is still wanted (see {@link Queries#STREAM_PUBLISH}).
 */
@Component(service = JobStreams.class)
public final class PostgresJobStreams implements JobStreams {

    private final DataSource dataSource;

    @Activate
    public PostgresJobStreams(@Reference DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean begin(UUID workerId, Job job) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement begin = connection.prepareStatement(Queries.STREAM_BEGIN)) {
            begin.setObject(1, job.requestId());
            begin.setObject(2, job.requestId());
            begin.setObject(3, workerId);
            begin.setString(4, job.cacheKeys().get(0));
            return answer(begin);
        } catch (SQLException e) {
            throw new QueueException("beginning the stream of " + job.requestId() + " failed", e);
        }
    }

    @Override
    public boolean publish(UUID workerId, Job job, int position, String text) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement publish = connection.prepareStatement(Queries.STREAM_PUBLISH)) {
            publish.setObject(1, job.requestId());
            publish.setObject(2, workerId);
            publish.setString(3, job.cacheKeys().get(0));
            publish.setInt(4, position);
            publish.setString(5, text);
            return answer(publish);
        } catch (SQLException e) {
            throw new QueueException("publishing output of " + job.requestId() + " failed", e);
        }
    }

    @Override
    public void abandon(UUID workerId, Job job, String reason) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement abandon = connection.prepareStatement(Queries.STREAM_ABANDON)) {
            abandon.setString(1, reason);
            abandon.setObject(2, job.requestId());
            abandon.setObject(3, workerId);
            abandon.setObject(4, job.requestId());
            abandon.execute();
        } catch (SQLException e) {
            throw new QueueException("abandoning " + job.requestId() + " failed", e);
        }
    }

    @Override
    public void end(UUID requestId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement end = connection.prepareStatement(Queries.STREAM_END)) {
            end.setObject(1, requestId);
            end.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("discarding the output of " + requestId + " failed", e);
        }
    }

    private static boolean answer(PreparedStatement statement) throws SQLException {
        try (ResultSet row = statement.executeQuery()) {
            return row.next() && row.getBoolean(1);
        }
    }
}
