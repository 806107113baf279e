package dev.steadytext.cache.postgres.internal;

import dev.steadytext.api.cache.CacheKind;
import dev.steadytext.api.cache.CacheStats;
import dev.steadytext.api.cache.CacheStore;
import dev.steadytext.api.eviction.EvictionPolicy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The cache store over {@code steadytext_cache}, and the eviction service that maintains it: one worker among all
 * that serve the schema leads, folds the access log into the entries' statistics, feeds the eviction policy's
 * trackers and keeps each cache kind within its budget (see {@link EvictionService}).
 *
 * <p>The policy to run, first that applies: SQL config {@code cache_eviction_policy} when not null (what SQL users
 * set, for every worker at once, switched at the next fold); else {@code evictionPolicy} of this component's
 * configuration file ({@code conf/dev.steadytext.cache.cfg}); else {@value ServiceSettings#DEFAULT_POLICY}. A chosen
 * policy that is not registered (a plug-in not dropped in yet, or removed) is replaced by
 * {@value ServiceSettings#DEFAULT_POLICY}, with a warning, until it appears.
 */
@Component(service = CacheStore.class, immediate = true, configurationPid = PostgresCacheStore.PID)
@Designate(ocd = PostgresCacheStore.Config.class)
public final class PostgresCacheStore implements CacheStore {

    static final String PID = "dev.steadytext.cache";
    private static final Duration FOLD_TIMEOUT = Duration.ofSeconds(30);

    @ObjectClassDefinition(name = "SteadyText cache", description = "Cache statistics and eviction.")
    public @interface Config {
        @AttributeDefinition(description = "The eviction policy when SQL config cache_eviction_policy is null"
                + " (lru, lfu, frecency, arc, gdsf, or a plug-in's name); empty: arc")
        String evictionPolicy() default "";

        @AttributeDefinition(description = "How often the leading worker folds the access log (statistics are"
                + " visible in SQL within about this long)")
        long foldMillis() default 1_000;

        @AttributeDefinition(description = "How often the leading worker saves the policy's state, when it changed")
        long checkpointMillis() default 10_000;

        @AttributeDefinition(description = "How often a worker that does not lead eviction tries to")
        long standbyMillis() default 1_000;

        @AttributeDefinition(description = "Most entries one eviction DELETE removes (1 to 500)")
        int evictionBatchSize() default 500;

        @AttributeDefinition(description = "Entries inserted or hit this recently are never evicted")
        long protectMillis() default 5_000;

        @AttributeDefinition(description = "Longest a round of keeping a kind within budget runs before the leader"
                + " folds and answers requests again")
        long roundMillis() default 1_000;
    }

    private final DataSource dataSource;
    private final BundleContext context;
    private final PolicyRegistry policies = new PolicyRegistry();
    private final EvictionService eviction;
    private volatile ServiceSettings settings;

    /** @param context this bundle's context; null outside OSGi (tests) */
    @Activate
    public PostgresCacheStore(@Reference DataSource dataSource, Config config, BundleContext context) {
        this.dataSource = dataSource;
        this.context = context;
        this.settings = ServiceSettings.of(config);
        this.eviction = new EvictionService(dataSource, policies, () -> settings);
        eviction.start(); // its own thread: activation never waits for the database
    }

    /** A new configuration ends the leader's term; the next starts at once with it. */
    @Modified
    void modified(Config config) {
        settings = ServiceSettings.of(config);
    }

    @Deactivate
    void deactivate() {
        eviction.stop();
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPolicy(EvictionPolicy policy, Map<String, Object> properties) {
        policies.add(policy, properties);
    }

    void removePolicy(EvictionPolicy policy) {
        // When the framework shuts down, the policies' bundles may stop before this one. Falling back then would
        // end with a stand-in's state saved over what the real policy learned; so the leader keeps the policy it
        // runs until this component stops and saves it.
        if (context == null || context.getBundle(Constants.SYSTEM_BUNDLE_ID).getState() != Bundle.STOPPING) {
            policies.remove(policy);
        }
    }

    /** Whether this worker leads eviction now. */
    boolean leading() {
        return eviction.leading();
    }

    /**
     * Folds now when this worker leads eviction; otherwise returns 0 at once, since only the leader may consume the
     * access log (its trackers need every access) and it folds every {@code foldMillis} anyway.
     */
    @Override
    public int foldAccessLog() {
        return eviction.foldNow(FOLD_TIMEOUT);
    }

    @Override
    public List<CacheStats> stats() {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = connection.prepareStatement(Queries.STATS);
             ResultSet rows = query.executeQuery()) {
            List<CacheStats> stats = new ArrayList<>();
            while (rows.next()) {
                CacheKind kind = kindNamed(rows.getString(1));
                if (kind != null) { // a kind this API version does not know (a newer schema's) is left out
                    stats.add(new CacheStats(kind, rows.getLong(2), rows.getLong(3), rows.getLong(4), rows.getLong(5)));
                }
            }
            return stats;
        } catch (SQLException e) {
            throw new IllegalStateException("reading cache statistics failed: " + e.getMessage()
                    + " (SQLSTATE " + e.getSQLState() + ")", e);
        }
    }

    private static CacheKind kindNamed(String sqlName) {
        for (CacheKind kind : CacheKind.values()) {
            if (kind.sqlName().equals(sqlName)) {
                return kind;
            }
        }
        return null;
    }
}
