package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;

import io.carebus.support.EngineTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Retention drops whole daily partitions (on the real embedded PostgreSQL). */
class JournalRetentionTest extends EngineTestBase {

    @Autowired
    JournalRepository repository;
    @Autowired
    io.carebus.journal.Journal journal;

    @Test
    void expiredDaysAreDroppedAsPartitionsAndUpcomingDaysPrepared() {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(40);
        repository.ensurePartitions(old, 1);
        String oldPartition = "journal_message_" + old.toString().replace("-", "");
        assertThat(repository.dailyPartitions("journal_message")).contains(oldPartition);

        JournalRetention retention = new JournalRetention(repository, journal.files(), Period.ofDays(30),
                Duration.ofHours(24), Clock.fixed(Instant.now(), ZoneOffset.UTC));
        assertThat(retention.maintain()).isEmpty();     // the constructor already ran it
        assertThat(repository.dailyPartitions("journal_message")).doesNotContain(oldPartition)
                .contains("journal_message_" + LocalDate.now(ZoneOffset.UTC).plusDays(3).toString().replace("-", ""));
    }
}
