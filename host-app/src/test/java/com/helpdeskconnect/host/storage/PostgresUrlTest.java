package com.helpdeskconnect.host.storage;

import static org.assertj.core.api.Assertions.assertThat;

import com.helpdeskconnect.host.config.HostConfig.DatabaseSettings;
import org.junit.jupiter.api.Test;

/** The credentials leave the URL (it is logged by Flyway and shown in errors) and go to the pool apart. */
class PostgresUrlTest {
    private static Database.Postgres parse(String url, String user, String password) {
        return Database.Postgres.parse(DatabaseSettings.postgres(url, user, password));
    }

    @Test
    void credentialsInTheQueryLeaveTheUrlAndOtherParametersStay() {
        Database.Postgres pg = parse("jdbc:postgresql://db:5432/hc?user=app&password=p%40ss&sslmode=require", null, null);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db:5432/hc?sslmode=require");
        assertThat(pg.user()).isEqualTo("app");
        assertThat(pg.password()).isEqualTo("p@ss");
        assertThat(pg.describe()).isEqualTo("db:5432/hc as user 'app'");
        assertThat(pg.toString()).doesNotContain("p@ss");
    }

    @Test
    void userInfoBeforeTheHostIsReadToo() {
        Database.Postgres pg = parse("jdbc:postgresql://app:s%3Acret@db1:5432,db2:5432/hc", null, null);
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db1:5432,db2:5432/hc");
        assertThat(pg.user()).isEqualTo("app");
        assertThat(pg.password()).isEqualTo("s:cret");
    }

    @Test
    void theEnvironmentFillsWhatTheUrlLeavesOut() {
        Database.Postgres pg = parse("jdbc:postgresql://db/hc", "env-user", "env-pass");
        assertThat(pg.url()).isEqualTo("jdbc:postgresql://db/hc");
        assertThat(pg.user()).isEqualTo("env-user");
        assertThat(pg.password()).isEqualTo("env-pass");
        // the URL's own values win over the environment's
        assertThat(parse("jdbc:postgresql://db/hc?user=url-user", "env-user", "env-pass").user()).isEqualTo("url-user");
        // no path: parameters right after the host
        assertThat(parse("jdbc:postgresql://db?password=x", null, null).url()).isEqualTo("jdbc:postgresql://db");
    }
}
