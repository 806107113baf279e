package dev.steadytext.schema;

import java.time.Duration;

/**
 * What a {@link SchemaMigrator#migrate} call did.
 *
 * @param changeSetsApplied Liquibase changesets run by this call (0 when the schema was already up to date)
 * @param upToDate true when nothing had to be done (the fast path: Liquibase was not even started)
 * @param pgvector whether the {@code vector} extension is installed in the database
 * @param embeddingType the SQL type the embedding functions return: {@code real[]}, or the qualified pgvector type
 * @param elapsed wall time of the call
 */
public record MigrationResult(int changeSetsApplied, boolean upToDate, boolean pgvector, String embeddingType,
        Duration elapsed) {
}
