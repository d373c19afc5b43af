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
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;

/** Retention drops whole daily partitions and purges the default ones (on the real embedded PostgreSQL). */
class JournalRetentionTest extends EngineTestBase {

    @Autowired
    JournalRepository repository;
    @Autowired
    io.carebus.journal.Journal journal;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

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

    /**
     * A DROP waiting for its lock holds up every insert behind it, the intake's too: while a long search reads the
     * journal, retention gives up after a short wait and drops the day at a later run.
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)   // a DROP waiting for ever would hang
    void aPartitionInUseIsLeftForALaterRunInsteadOfHoldingUpInserts() throws Exception {
        LocalDate old = LocalDate.now(ZoneOffset.UTC).minusDays(50);
        repository.ensurePartitions(old, 1);
        String oldPartition = "journal_message_" + old.toString().replace("-", "");
        JournalRetention retention;
        try (java.sql.Connection reader = jdbc.getDataSource().getConnection()) {
            reader.setAutoCommit(false);
            try (java.sql.Statement st = reader.createStatement()) {
                st.execute("LOCK TABLE journal_message IN ACCESS SHARE MODE");   // what a running SELECT holds
            }
            long start = System.nanoTime();
            retention = new JournalRetention(repository, journal.files(), Period.ofDays(30), Duration.ofHours(24),
                    Clock.fixed(Instant.now(), ZoneOffset.UTC));   // runs maintenance
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
            assertThat(repository.dailyPartitions("journal_message")).contains(oldPartition);
            reader.rollback();
        }
        assertThat(retention.maintain()).contains(oldPartition);
        assertThat(repository.dailyPartitions("journal_message")).doesNotContain(oldPartition);
    }

    @Test
    void expiredRowsOfTheDefaultPartitionsAreDeleted() {
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        Instant expired = now.minus(Duration.ofDays(50));        // no daily partition: the default one
        Instant recent = now.minus(Duration.ofDays(6));
        long expiredId = insertRow(expired);
        long recentId = insertRow(recent);
        repository.recordDelivery(expiredId, expired, "lab", MessageStatus.DEAD, "timeout");
        repository.recordDelivery(recentId, recent, "lab", MessageStatus.DELIVERED, null);
        assertThat(partitionOf("journal_message", "id", expiredId)).isEqualTo("journal_message_default");
        assertThat(partitionOf("journal_delivery", "message_id", expiredId)).isEqualTo("journal_delivery_default");

        new JournalRetention(repository, journal.files(), Period.ofDays(30), Duration.ofHours(24),
                Clock.fixed(now, ZoneOffset.UTC));                // maintenance runs in the constructor

        assertThat(repository.find(expiredId)).isEmpty();
        assertThat(repository.deliveries(expiredId)).isEmpty();
        assertThat(repository.find(recentId)).isPresent();          // within the retention: kept
        assertThat(repository.deliveries(recentId)).hasSize(1);
    }

    /**
     * Rows written for a day that had no partition yet (a clock set days ahead) wait in the DEFAULT partitions;
     * when maintenance prepares that day they move into its partition, and maintenance goes on to later days.
     */
    @Test
    void rowsOfADayWithoutPartitionMoveIntoItWhenItIsPrepared() {
        LocalDate ahead = LocalDate.now(ZoneOffset.UTC).plusDays(20);
        Instant at = ahead.atTime(10, 30).toInstant(ZoneOffset.UTC);
        long id = insertRow(at);
        repository.recordDelivery(id, at, "lab", MessageStatus.DELIVERED, null);
        assertThat(partitionOf("journal_message", "id", id)).isEqualTo("journal_message_default");

        repository.ensurePartitions(ahead, 2);

        String day = ahead.toString().replace("-", "");
        assertThat(partitionOf("journal_message", "id", id)).isEqualTo("journal_message_" + day);
        assertThat(partitionOf("journal_delivery", "message_id", id)).isEqualTo("journal_delivery_" + day);
        assertThat(repository.dailyPartitions("journal_message"))
                .contains("journal_message_" + ahead.plusDays(1).toString().replace("-", ""));
        assertThat(repository.find(id)).isPresent();
        assertThat(repository.deliveries(id)).hasSize(1);
        assertThat(jdbc.queryForObject("""
                SELECT count(*) FROM pg_indexes WHERE tablename = ?""", Integer.class, "journal_message_" + day))
                .as("the partition has the table's indexes")
                .isEqualTo(jdbc.queryForObject("""
                        SELECT count(*) FROM pg_indexes WHERE tablename = ?""", Integer.class,
                        "journal_message_" + LocalDate.now(ZoneOffset.UTC).toString().replace("-", "")));
        for (String table : java.util.List.of("journal_message", "journal_delivery")) {
            for (LocalDate d = ahead; !d.isAfter(ahead.plusDays(1)); d = d.plusDays(1)) {
                repository.dropPartition(table + "_" + d.toString().replace("-", ""), Duration.ofSeconds(30));
            }
        }
    }

    /**
     * Encrypted content cannot be compressed, so above PostgreSQL's default ~2 kB threshold each row paid a failed
     * compression and an out-of-line TOAST insert. Content up to a page stays in its row, in every partition.
     */
    @Test
    void contentOfAFewKilobytesStaysInItsRow() {
        LocalDate day = LocalDate.now(ZoneOffset.UTC).plusDays(25);
        repository.ensurePartitions(day, 1);
        String partition = "journal_message_" + day.toString().replace("-", "");
        byte[] ciphertextLike = new byte[3000];
        new java.security.SecureRandom().nextBytes(ciphertextLike);
        jdbc.update("""
                INSERT INTO journal_message (received_at, channel, status, size_bytes, content)
                VALUES (?, 'test', 'delivered', 3000, ?)""",
                java.sql.Timestamp.from(day.atTime(9, 0).toInstant(ZoneOffset.UTC)), ciphertextLike);

        String toastTable = jdbc.queryForObject("SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = ?",
                String.class, partition);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM " + toastTable, Long.class)).isZero();
        assertThat(jdbc.queryForList("""
                SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'journal_message'::regclass
                   AND NOT coalesce(c.reloptions, '{}') @> '{toast_tuple_target=8160}'""", String.class))
                .as("partitions that would move such content out of line").isEmpty();
        repository.dropPartition(partition, Duration.ofSeconds(30));
        repository.dropPartition("journal_delivery_" + day.toString().replace("-", ""), Duration.ofSeconds(30));
    }

    private long insertRow(Instant receivedAt) {
        return jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, status, size_bytes, content)
                VALUES (?, 'test', 'delivered', 1, decode('00', 'hex')) RETURNING id""", Long.class,
                java.sql.Timestamp.from(receivedAt));
    }

    private String partitionOf(String table, String idColumn, long id) {
        return jdbc.queryForObject("SELECT tableoid::regclass::text FROM " + table + " WHERE " + idColumn + " = ?",
                String.class, id);
    }
}
