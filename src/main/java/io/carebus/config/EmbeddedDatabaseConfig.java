package io.carebus.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded PostgreSQL of the default run: data under {@code data/postgres}, kept across restarts.
 * Switched off by setting {@code spring.datasource.url} (an external PostgreSQL) or
 * {@code carebus.database.embedded=false}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${carebus.database.embedded:true} and '${spring.datasource.url:}'.isEmpty()")
public class EmbeddedDatabaseConfig {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfig.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedPostgres(CarebusProperties properties) throws IOException {
        Path dir = properties.getDataDir().resolve("postgres").toAbsolutePath();
        Files.createDirectories(dir);
        stopOrphanedPostmaster(dir);
        log.info("Starting embedded PostgreSQL, data in {}", dir);
        return new EmbeddedDatabase(start(properties, dir),
                EmbeddedDatabaseWriteback.start(dir, properties.getDatabase().getEmbeddedWritebackInterval()));
    }

    /**
     * The running embedded PostgreSQL, stopped when Spring destroys this bean: after everything that uses the
     * database (the data source depends on it). zonky also stops it from a JVM shutdown hook of its own, which runs
     * alongside Spring's: on SIGTERM, or at the end of a test run, the database went away while the routes, the
     * journal status writer and HAPI's scheduled jobs were still finishing, and each of those then waited 30 s for
     * a connection. That hook only calls {@code close()}, which does nothing once the instance's {@code closed}
     * flag is set: the flag is set at start-up and cleared just before this bean's own close.
     */
    static final class EmbeddedDatabase implements AutoCloseable {
        private final EmbeddedPostgres postgres;
        private final EmbeddedDatabaseWriteback writeback;

        EmbeddedDatabase(EmbeddedPostgres postgres, EmbeddedDatabaseWriteback writeback) {
            this.postgres = postgres;
            this.writeback = writeback;
            closedFlag().ifPresent(flag -> flag.set(true));
        }

        String jdbcUrl() {
            return postgres.getJdbcUrl("postgres", "postgres");
        }

        @Override
        public void close() throws IOException {
            if (writeback != null) {
                writeback.close();
            }
            closedFlag().ifPresent(flag -> flag.set(false));
            postgres.close();
        }

        private Optional<java.util.concurrent.atomic.AtomicBoolean> closedFlag() {
            try {
                java.lang.reflect.Field field = EmbeddedPostgres.class.getDeclaredField("closed");
                field.setAccessible(true);
                return Optional.of((java.util.concurrent.atomic.AtomicBoolean) field.get(postgres));
            } catch (ReflectiveOperationException | RuntimeException e) {
                log.debug("zonky's own shutdown hook stays armed: {}", e.toString());
                return Optional.empty();
            }
        }
    }

    private static EmbeddedPostgres start(CarebusProperties properties, Path dir) throws IOException {
        return EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(properties.getDatabase().getEmbeddedPort() > 0
                        ? properties.getDatabase().getEmbeddedPort() : freePort())
                // Store-then-ACK: a commit must be on disk before the sender hears AA. zonky's defaults are made
                // for throw-away test databases (fsync off: a commit is only in the OS cache, lost with the
                // machine); the journal is not throw-away.
                .setServerConfig("fsync", "on")
                .setServerConfig("full_page_writes", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_connections", "200")
                .setServerConfig("shared_buffers", "256MB")
                // The journal is written all the time: checkpoints (each followed by a burst of full-page WAL
                // writes) at most every 15 minutes or 2 GB of WAL rather than every 1 GB.
                .setServerConfig("max_wal_size", "2GB")
                .setServerConfig("checkpoint_timeout", "15min")
                // A new 16 MB WAL segment is created by writing its last byte rather than 16 MB of zeros: zero-filling
                // held every commit for 40-60 ms at each segment switch (every few seconds under load). fdatasync
                // still makes the blocks allocated on first write durable.
                .setServerConfig("wal_init_zero", "off")
                .setPGStartupWait(Duration.ofSeconds(60))
                .start();
    }

    @Bean
    DataSource dataSource(EmbeddedDatabase postgres) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(postgres.jdbcUrl());
        config.setUsername("postgres");
        config.setMaximumPoolSize(40);
        config.setPoolName("carebus-journal");
        // JDBC batches of INSERTs (HAPI's index rows, the journal's groups) sent as multi-row INSERTs
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        // no PHI in logs: see spring.datasource.hikari.data-source-properties in application.yaml
        config.addDataSourceProperty("logServerErrorDetail", "false");
        return new HikariDataSource(config);
    }

    /**
     * A JVM killed with SIGKILL leaves its PostgreSQL child running on the data directory; stop it so this
     * start can own the directory again (its sockets died with the JVM, so a smart shutdown ends at once).
     */
    static void stopOrphanedPostmaster(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.exists(pidFile)) {
            return;
        }
        String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
        long pid;
        try {
            pid = Long.parseLong(first);
        } catch (NumberFormatException e) {
            return;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid)
                .filter(p -> p.info().command().map(c -> c.contains("postgres")).orElse(false));
        if (process.isEmpty()) {
            return;
        }
        log.warn("Stopping an orphaned embedded PostgreSQL (pid {}) left by an earlier run", pid);
        process.get().destroy();
        try {
            process.get().onExit().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.get().destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (var socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
