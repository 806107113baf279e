package dev.steadytext.api.cache;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The cache as the platform maintains it.
 *
 * <p>Callers read the cache directly in SQL; a hit appends to an access log instead of updating the cached row, so
 * that hits never wait on row locks. The store folds that log into the entries' access statistics.
 */
@ProviderType
public interface CacheStore {

    /**
     * Folds recorded accesses into {@code access_count} and {@code last_accessed}, and into the hit and miss counters.
     *
     * @return how many access records were folded
     */
    int foldAccessLog();

    /** Current figures, one element per kind. */
    List<CacheStats> stats();
}
