package dev.steadytext.pool.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
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

        int maximumPoolSize() default 8;
    }

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
