package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseWritebackTest {

    @TempDir
    Path dataDir;

    @Test
    void eachPassSyncsTheRelationFilesModifiedSinceThePassBefore() throws IOException {
        Path table = write(dataDir.resolve("base/5/16384"));
        Path index = write(dataDir.resolve("base/5/16390"));
        Path shared = write(dataDir.resolve("global/1262"));
        write(dataDir.resolve("pg_wal/000000010000000000000001")); // the WAL is synced by PostgreSQL at each commit
        try (EmbeddedDatabaseWriteback writeback = EmbeddedDatabaseWriteback.start(dataDir, Duration.ofHours(1))) {
            assertThat(writeback.writeBack()).isEqualTo(3);

            for (Path file : new Path[] {table, index, shared}) {
                Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
            }
            assertThat(writeback.writeBack()).isZero();

            Files.writeString(index, "more", java.nio.file.StandardOpenOption.APPEND);
            assertThat(writeback.writeBack()).isEqualTo(1);
        }
    }

    @Test
    void passesSlowDownWhileNothingIsWrittenAndResumeTheIntervalOnceSomethingIs() {
        assertThat(EmbeddedDatabaseWriteback.nextDelay(250, 250, 0)).isEqualTo(500);
        assertThat(EmbeddedDatabaseWriteback.nextDelay(1000, 250, 0)).isEqualTo(2000);
        assertThat(EmbeddedDatabaseWriteback.nextDelay(2000, 250, 0)).isEqualTo(2000);
        assertThat(EmbeddedDatabaseWriteback.nextDelay(2000, 250, 3)).isEqualTo(250);
        assertThat(EmbeddedDatabaseWriteback.nextDelay(2000, 250, -1)).isEqualTo(250); // a failed pass
    }

    @Test
    void aZeroIntervalStartsNoPasses() {
        assertThat(EmbeddedDatabaseWriteback.start(dataDir, Duration.ZERO)).isNull();
    }

    private static Path write(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "page");
    }
}
