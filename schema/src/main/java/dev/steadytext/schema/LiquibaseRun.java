package dev.steadytext.schema;

import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.Scope;
import liquibase.changelog.ChangeSet;
import liquibase.changelog.DatabaseChangeLog;
import liquibase.changelog.visitor.AbstractChangeExecListener;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.ui.LoggerUIService;

/**
 * One Liquibase update of the changelog on a caller's connection, with its own tables in the target schema.
 * Liquibase's lock table (databasechangeloglock) serialises concurrent updates; SchemaMigrator additionally holds an
 * advisory lock, because two first-time migrators would otherwise race to create that lock table itself.
 */
final class LiquibaseRun {

    /**
     * Liquibase logs every step at INFO through java.util.logging; the migrator's progress lines say what matters.
     * Held in a field because java.util.logging keeps loggers only weakly, which would drop the level.
     */
    private static final java.util.logging.Logger LIQUIBASE_LOG = quiet(java.util.logging.Logger.getLogger("liquibase"));

    private LiquibaseRun() {
    }

    private static java.util.logging.Logger quiet(java.util.logging.Logger logger) {
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    /** Runs the update; returns how many changesets ran. */
    @SuppressWarnings("deprecation") // the Liquibase facade is the smallest API that reports per-changeset progress
    static int update(Connection connection, String schema, Map<String, String> parameters, Consumer<String> progress)
            throws Exception {
        // The console summary and analytics are for the Liquibase CLI; an embedded migration reports through progress.
        Map<String, Object> scope = Map.of(
                Scope.Attr.ui.name(), new LoggerUIService(),
                "liquibase.analytics.enabled", false,
                "liquibase.showSummaryOutput", "LOG");
        AtomicInteger applied = new AtomicInteger();
        Scope.child(scope, () -> {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            database.setDefaultSchemaName(schema);
            database.setLiquibaseSchemaName(schema);
            Liquibase liquibase = new Liquibase(Changelog.MASTER,
                    new ClassLoaderResourceAccessor(LiquibaseRun.class.getClassLoader()), database);
            parameters.forEach(liquibase::setChangeLogParameter);
            Contexts contexts = new Contexts();
            LabelExpression labels = new LabelExpression();
            List<ChangeSet> pending = liquibase.listUnrunChangeSets(contexts, labels);
            int total = pending.size();
            liquibase.setChangeExecListener(new AbstractChangeExecListener() {
                @Override
                public void willRun(ChangeSet changeSet, DatabaseChangeLog changeLog, Database db,
                        ChangeSet.RunStatus runStatus) {
                    progress.accept("schema: applying " + changeSet.getId() + " (" + applied.incrementAndGet()
                            + "/" + total + ")");
                }
            });
            if (total > 0) {
                liquibase.update(contexts, labels);
            }
            // Not liquibase.close(): it would close the caller's connection.
        });
        return applied.get();
    }
}
