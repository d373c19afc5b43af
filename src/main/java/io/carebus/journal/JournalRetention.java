package io.carebus.journal;

import java.time.Clock;
import java.time.LocalDate;
import java.time.Period;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Keeps daily partitions ready a few days ahead and drops those older than the retention period: dropping a
 * partition frees its disk at once, where DELETE would leave dead rows for VACUUM. Rows of the DEFAULT partitions
 * (received on a day that had no partition) are deleted by the same rule.
 */
public class JournalRetention {

    private static final Logger log = LoggerFactory.getLogger(JournalRetention.class);
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final int DAYS_AHEAD = 3;

    private final JournalRepository repository;
    private final JournalContentFiles files;
    private final Period retention;
    private final java.time.Duration duplicateWindow;
    private final Clock clock;

    /**
     * How long a partition drop waits for its lock. Inserts queue behind a waiting DROP, so this bounds what a
     * drop can add to an intake's store (well under carebus.mllp.intake-timeout); a partition still in use is
     * dropped at a later run.
     */
    static final java.time.Duration DROP_LOCK_WAIT = java.time.Duration.ofSeconds(2);

    public JournalRetention(JournalRepository repository, JournalContentFiles files, Period retention,
                            java.time.Duration duplicateWindow, Clock clock) {
        this.repository = repository;
        this.files = files;
        this.retention = retention;
        this.duplicateWindow = duplicateWindow;
        this.clock = clock;
        maintain();
    }

    @Scheduled(cron = "${carebus.journal.partition-maintenance-cron:0 7 * * * *}")
    public void scheduled() {
        try {
            maintain();
        } catch (RuntimeException e) {
            log.error("Journal partition maintenance failed: {}", e.toString());
        }
    }

    /** Returns the partitions dropped. */
    public synchronized List<String> maintain() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        repository.ensurePartitions(today, DAYS_AHEAD + 1);
        LocalDate oldestKept = today.minus(retention);
        List<String> dropped = new ArrayList<>();
        List<String> busy = new ArrayList<>();
        for (String table : List.of("journal_message", "journal_delivery")) {
            for (String partition : repository.dailyPartitions(table)) {
                LocalDate day = LocalDate.parse(partition.substring(partition.length() - 8), DAY);
                if (!day.isBefore(oldestKept)) {
                    continue;
                }
                if (repository.dropPartition(partition, DROP_LOCK_WAIT)) {
                    dropped.add(partition);
                } else {
                    busy.add(partition);
                }
            }
        }
        // rows that landed in the DEFAULT partitions (no daily partition for their day) go by the same rule
        int purged = repository.purgeDefaultPartitions(oldestKept.atStartOfDay(ZoneOffset.UTC).toInstant());
        if (purged > 0) {
            log.info("Journal retention {}: deleted {} messages from the default partition", retention, purged);
        }
        // large content files live in one folder per day, dropped with the day's partition (after it, so a row
        // still readable never points at a file gone)
        if (busy.isEmpty()) {
            dropped.addAll(files.dropDaysBefore(oldestKept).stream().map(day -> "journal-content/" + day).toList());
        } else {
            log.warn("Journal retention {}: partitions {} are in use (a long search?); dropped at a later run", retention,
                    busy);
        }
        repository.purgeDuplicateKeys(clock.instant().minus(duplicateWindow));
        if (!dropped.isEmpty()) {
            log.info("Journal retention {}: dropped partitions {}", retention, dropped);
        }
        return dropped;
    }
}
