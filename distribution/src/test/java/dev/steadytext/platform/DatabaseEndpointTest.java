package dev.steadytext.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class DatabaseEndpointTest {

    @Test
    void jdbcUrl_dropsThePasswordParameter() {
        DatabaseEndpoint endpoint = DatabaseEndpoint.of(
                "jdbc:postgresql://db:5432/app?user=app&password=s3cret&sslmode=require", Optional.empty(), "public");

        assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/app?user=app&sslmode=require");
        assertThat(endpoint.toString()).doesNotContain("s3cret");
    }

    @Test
    void jdbcUrl_withOnlyAPassword_losesItsQuery() {
        assertThat(DatabaseEndpoint.of("jdbc:postgresql://db/app?Password=x", Optional.empty(), "public").jdbcUrl())
                .isEqualTo("jdbc:postgresql://db/app");
    }

    @Test
    void user_comesFromTheUrl_whenNotGiven() {
        DatabaseEndpoint endpoint =
                DatabaseEndpoint.of("jdbc:postgresql://localhost:54329/postgres?user=postgres", Optional.empty(), "public");

        assertThat(endpoint.user()).contains("postgres");
        assertThat(endpoint.psqlCommand()).isEqualTo("psql \"postgresql://postgres@localhost:54329/postgres\"");
    }

    @Test
    void psqlCommand_keepsHostListsAndIpv6() {
        assertThat(DatabaseEndpoint.of("jdbc:postgresql://h1:5432,[::1]:5433/app", Optional.of("u"), "s").psqlCommand())
                .isEqualTo("psql \"postgresql://u@h1:5432,[::1]:5433/app\"");
    }

    @Test
    void psqlCommand_forAUrlWithoutHost_usesLocalhost() {
        assertThat(DatabaseEndpoint.of("jdbc:postgresql:app", Optional.empty(), "public").psqlCommand())
                .isEqualTo("psql \"postgresql://localhost/app\"");
    }
}
