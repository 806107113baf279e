package dev.steadytext.queue.postgres.internal;

import dev.steadytext.api.model.ModelDescriptor;
import dev.steadytext.api.queue.WorkerRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.UUID;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Worker and model registration over {@code steadytext_workers} and {@code steadytext_models}. */
@Component(service = WorkerRegistry.class)
public final class PostgresWorkerRegistry implements WorkerRegistry {

    private final DataSource dataSource;

    @Activate
    public PostgresWorkerRegistry(@Reference DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public void register(UUID workerId, String host, long pid) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(Queries.REGISTER_WORKER)) {
            insert.setObject(1, workerId);
            insert.setString(2, host);
            insert.setLong(3, pid);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("registering worker " + workerId + " failed", e);
        }
    }

    @Override
    public void registerModel(UUID workerId, ModelDescriptor model, boolean isDefault) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement insert = connection.prepareStatement(Queries.REGISTER_MODEL)) {
            insert.setString(1, model.fingerprint());
            insert.setString(2, model.kind().sqlName());
            insert.setString(3, model.name());
            insert.setString(4, model.backend());
            insert.setString(5, model.backendVersion());
            insert.setString(6, model.modelSha256());
            insert.setString(7, model.settings());
            insert.setInt(8, model.dimension());
            insert.setBoolean(9, isDefault);
            insert.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("registering model " + model.name() + " failed", e);
        }
    }

    @Override
    public boolean heartbeat(UUID workerId, long jobsDone, Collection<String> modelFingerprints) {
        try (Connection connection = dataSource.getConnection()) {
            Object[] fingerprints = modelFingerprints.toArray();
            try (PreparedStatement beat = connection.prepareStatement(Queries.HEARTBEAT)) {
                beat.setLong(1, jobsDone);
                beat.setArray(2, connection.createArrayOf("text", fingerprints));
                beat.setObject(3, workerId);
                beat.executeUpdate();
            }
            try (PreparedStatement touch = connection.prepareStatement(Queries.TOUCH_MODELS)) {
                touch.setArray(1, connection.createArrayOf("text", fingerprints));
                touch.executeUpdate();
            }
            try (PreparedStatement paused = connection.prepareStatement(Queries.PAUSED);
                 ResultSet row = paused.executeQuery()) {
                return row.next() && row.getBoolean(1);
            }
        } catch (SQLException e) {
            throw new QueueException("heartbeat of worker " + workerId + " failed", e);
        }
    }

    @Override
    public void deregister(UUID workerId) {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = connection.prepareStatement(Queries.DEREGISTER_WORKER)) {
            update.setObject(1, workerId);
            update.executeUpdate();
        } catch (SQLException e) {
            throw new QueueException("deregistering worker " + workerId + " failed", e);
        }
    }
}
