package dev.steadytext.pool.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Set;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The platform's pooled connections to its PostgreSQL database, offered as a {@link DataSource} service.
 *
 * <p>Connections have {@code currentSchema} set to the configured schema, so the bundles' SQL names tables without a
 * schema. The pool starts without connecting ({@code initializationFailTimeout = -1}): activation never blocks on
 * the network, and an unreachable database surfaces as an error on first use.
 *
 * <p>The platform's sessions commit asynchronously by default: a commit returns before its WAL is flushed, which
 * saves a disk flush on each claim and each completion (about half a millisecond here, several on network
 * storage). A database crash may then lose the last fraction of a second of the platform's commits, and each of
 * those can be redone without harm: a lost claim leaves its job pending; a lost completion leaves it processing
 * under a lease that runs out, and a worker computes it again, byte for byte the same, since outputs are
 * deterministic; lost access statistics or heartbeats are statistics. Users' own transactions, and the requests
 * they enqueue, keep the server's setting.
 */
@Component(service = DataSource.class, configurationPid = PooledDataSource.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = PooledDataSource.Config.class)
public final class PooledDataSource implements DataSource {

    static final String PID = "dev.steadytext.database";

    @ObjectClassDefinition(name = "SteadyText database", description = "The PostgreSQL database the platform serves.")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL, e.g. jdbc:postgresql://localhost:5432/app")
        String url();

        @AttributeDefinition(required = false)
        String user() default "";

        /** Stored as the private property {@code .password}, which is never copied into service properties. */
        @AttributeDefinition(type = AttributeType.PASSWORD, required = false)
        String _password() default "";

        @AttributeDefinition(description = "Schema holding the steadytext tables")
        String schema() default "public";

        @AttributeDefinition(description = "Most connections of the platform; four stay with the notification "
                + "listeners and the job wake-up locks, the rest serve the lanes, the cache and the leader")
        int maximumPoolSize() default 12;

        @AttributeDefinition(description = "synchronous_commit of the platform's own sessions; empty keeps the"
                + " server's setting. Off by default: every write the platform makes can be redone (see the class"
                + " comment), so it need not wait for the WAL flush.")
        String synchronousCommit() default "off";
    }

    private static final Set<String> SYNCHRONOUS_COMMIT_VALUES = Set.of("on", "off", "local", "remote_write",
            "remote_apply");

    private HikariDataSource pool;

    @Activate
    void activate(Config config) {
        PGSimpleDataSource postgres = new PGSimpleDataSource();
        postgres.setURL(config.url());
        if (!config.user().isEmpty()) {
            postgres.setUser(config.user());
        }
        if (!config._password().isEmpty()) {
            postgres.setPassword(config._password());
        }
        postgres.setCurrentSchema(config.schema());
        postgres.setApplicationName("steadytext-worker");
        // Batched INSERTs of cache rows become multi-row statements: one round trip per batch.
        postgres.setReWriteBatchedInserts(true);
        String synchronousCommit = config.synchronousCommit().trim();
        if (!synchronousCommit.isEmpty()) {
            if (!SYNCHRONOUS_COMMIT_VALUES.contains(synchronousCommit)) {
                throw new IllegalArgumentException("synchronousCommit must be one of " + SYNCHRONOUS_COMMIT_VALUES
                        + " or empty, not '" + synchronousCommit + "' (configuration " + PID + ")");
            }
            postgres.setOptions("-c synchronous_commit=" + synchronousCommit);
        }

        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(postgres);
        hikari.setPoolName("steadytext");
        hikari.setMaximumPoolSize(config.maximumPoolSize());
        hikari.setInitializationFailTimeout(-1);
        pool = new HikariDataSource(hikari);
    }

    @Deactivate
    void deactivate() {
        pool.close();
    }

    @Override
    public Connection getConnection() throws SQLException {
        return pool.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the platform's pool connects with its configured user only");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return pool.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        pool.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        pool.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return pool.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return pool.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> type) throws SQLException {
        return pool.unwrap(type);
    }

    @Override
    public boolean isWrapperFor(Class<?> type) throws SQLException {
        return pool.isWrapperFor(type);
    }
}
