package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.carebus.config.CarebusProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The generated development content key warns on every start that uses it, and never logs the key. */
class JournalKeysDevKeyTest {

    @TempDir
    Path data;

    private final Logger logger = (Logger) LoggerFactory.getLogger(JournalKeys.class);
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    @BeforeEach
    void listen() {
        appender.start();
        logger.addAppender(appender);
    }

    @AfterEach
    void stopListening() {
        logger.detachAppender(appender);
    }

    @Test
    void everyStartOnTheDevelopmentKeyWarns() throws Exception {
        CarebusProperties properties = new CarebusProperties();
        properties.setDataDir(data);

        JournalKeys first = JournalKeys.from(properties);
        JournalKeys second = JournalKeys.from(properties);     // a later start: the key file already exists

        assertThat(second.contentKey()).isEqualTo(first.contentKey());
        List<ILoggingEvent> warnings = appender.list.stream().filter(e -> e.getLevel() == Level.WARN).toList();
        assertThat(warnings).hasSize(2)
                .allSatisfy(w -> assertThat(w.getFormattedMessage()).contains("CAREBUS_JOURNAL_KEY", "journal-dev.key"));
        String key = Files.readString(data.resolve("journal-dev.key")).trim();
        assertThat(key).isEqualTo(Base64.getEncoder().encodeToString(first.contentKey()));
        assertThat(appender.list).noneMatch(e -> e.getFormattedMessage().contains(key));
    }

    @Test
    void aConfiguredKeyDoesNotWarn() throws Exception {
        CarebusProperties properties = new CarebusProperties();
        properties.setDataDir(data);
        properties.getJournal().setContentKey(Base64.getEncoder().encodeToString(new byte[32]));

        JournalKeys.from(properties);

        assertThat(appender.list).noneMatch(e -> e.getLevel() == Level.WARN);
        assertThat(data.resolve("journal-dev.key")).doesNotExist();
    }

    @Test
    void theGeneratedKeyFileIsReadableByItsOwnerAloneAndNothingIsLeftBeside() throws Exception {
        CarebusProperties properties = new CarebusProperties();
        properties.setDataDir(data.resolve("fresh"));

        JournalKeys.from(properties);

        Path file = data.resolve("fresh/journal-dev.key");
        assertThat(Files.getPosixFilePermissions(file))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        try (var left = Files.list(data.resolve("fresh"))) {
            assertThat(left).containsExactly(file);
        }
    }
}
