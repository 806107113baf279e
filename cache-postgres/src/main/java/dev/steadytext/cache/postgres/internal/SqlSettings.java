package dev.steadytext.cache.postgres.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The eviction settings SQL users make with {@code steadytext_config_set}, read by the leader at every fold through
 * {@code _steadytext_eviction_settings()} (the one place that interprets the config keys).
 *
 * @param budgets each cache kind's budget, in the order of the kinds
 * @param policy {@code cache_eviction_policy}, or null when SQL leaves the choice to the platform
 * @param enabled {@code cache_eviction_enabled}: whether budgets are kept continuously
 */
record SqlSettings(Map<String, Budget> budgets, String policy, boolean enabled) {

    static SqlSettings read(Connection connection) throws SQLException {
        Map<String, Budget> budgets = new LinkedHashMap<>();
        String policy = null;
        boolean enabled = true;
        try (PreparedStatement query = connection.prepareStatement(Queries.SETTINGS);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                budgets.put(rows.getString(1), new Budget(bound(rows, 2), bound(rows, 3)));
                policy = rows.getString(4);
                enabled = rows.getBoolean(5);
            }
        }
        return new SqlSettings(Collections.unmodifiableMap(budgets), policy, enabled);
    }

    private static long bound(ResultSet rows, int column) throws SQLException {
        long value = rows.getLong(column);
        return rows.wasNull() ? Budget.UNBOUNDED : value;
    }

    Budget budget(String kind) {
        return budgets.getOrDefault(kind, Budget.NONE);
    }
}
