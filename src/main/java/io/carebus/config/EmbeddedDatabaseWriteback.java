package io.carebus.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the embedded PostgreSQL's table and index files to disk as they change, a pass every
 * {@code carebus.database.embedded-writeback-interval} (250 ms) while it writes, so that commits never wait behind a
 * burst of them; while nothing is written the passes slow down to one every {@value #IDLE_BACKOFF} intervals.
 *
 * <p>Why: PostgreSQL writes each new page of a growing table or index to its file at once (as zeros) and the page's
 * contents later, and leaves both to the operating system until the next checkpoint. Linux keeps such pages dirty
 * until they are {@code vm.dirty_expire_centisecs} old (30 s by default) and then writes them all together. The
 * journal grows all the time, so at 1,000 msgs/s that was about 200 MB every 30 s, and while it was written every
 * commit's WAL flush waited on the same disk: commits of 80-130 ms, and ACKs held up to 200 ms behind them. A pass
 * calls fdatasync on each file modified since the pass before, which turns the burst into a stream of small writes
 * (passes every second still showed as 30 ms ACKs each second; every 250 ms they do not). PostgreSQL's own
 * {@code backend_flush_after} does not cover these writes. An external PostgreSQL is the operator's to tune, with
 * {@code vm.dirty_background_bytes} on its machine.
 */
final class EmbeddedDatabaseWriteback implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseWriteback.class);

    /** Where PostgreSQL keeps tables and indexes: per database ({@code base}) and shared ({@code global}). */
    private static final List<String> RELATION_DIRS = List.of("base", "global");

    /** While passes find nothing written, the wait between them doubles up to this many intervals. */
    static final int IDLE_BACKOFF = 8;

    private final Path dataDir;
    private final long intervalMillis;
    private final ScheduledExecutorService pass;
    /** The wait before the next pass: the interval while the database writes, longer while it is idle. */
    private long delayMillis;
    /** Start of the previous pass, minus a second for the file system's timestamp granularity. */
    private long writtenSinceMillis = 0;

    private EmbeddedDatabaseWriteback(Path dataDir, Duration interval) {
        this.dataDir = dataDir;
        this.intervalMillis = Math.max(1, interval.toMillis());
        this.delayMillis = intervalMillis;
        this.pass = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "carebus-db-writeback");
            thread.setDaemon(true);
            return thread;
        });
        pass.schedule(this::passSafely, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Starts the passes; an interval of zero starts none. */
    static EmbeddedDatabaseWriteback start(Path dataDir, Duration interval) {
        return interval.isZero() || interval.isNegative() ? null : new EmbeddedDatabaseWriteback(dataDir, interval);
    }

    private void passSafely() {
        int synced = -1;
        try {
            synced = writeBack();
        } catch (RuntimeException e) {
            log.warn("Embedded PostgreSQL write-back pass failed, the next one retries: {}", e.toString());
        }
        delayMillis = nextDelay(delayMillis, intervalMillis, synced);
        try {
            pass.schedule(this::passSafely, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed: the database is stopping
        }
    }

    /**
     * The wait after a pass that synced {@code synced} files: the interval again once anything was written (the
     * first pass after an idle spell finds at most {@value #IDLE_BACKOFF} intervals' worth), twice the last wait
     * when nothing was, so that an idle engine does not walk the data directory four times a second.
     */
    static long nextDelay(long lastDelayMillis, long intervalMillis, int synced) {
        return synced == 0 ? Math.min(lastDelayMillis * 2, intervalMillis * IDLE_BACKOFF) : intervalMillis;
    }

    /** One pass: fdatasync on each relation file modified since the previous pass. Returns how many it synced. */
    int writeBack() {
        long startedMillis = System.currentTimeMillis();
        long since = writtenSinceMillis;
        int synced = 0;
        for (String dir : RELATION_DIRS) {
            Path root = dataDir.resolve(dir);
            if (!Files.isDirectory(root)) {
                continue;
            }
            try (Stream<Path> files = Files.find(root, 2, (path, attributes) -> modifiedSince(attributes, since))) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    synced += sync(file) ? 1 : 0;
                }
            } catch (IOException | UncheckedIOException e) {
                // a database or table dropped while the pass walked it
                log.debug("write-back walk of {} ended early: {}", root, e.toString());
            }
        }
        writtenSinceMillis = startedMillis - 1000;
        return synced;
    }

    private static boolean modifiedSince(BasicFileAttributes attributes, long sinceMillis) {
        return attributes.isRegularFile() && attributes.lastModifiedTime().toMillis() >= sinceMillis;
    }

    private static boolean sync(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            channel.force(false);
            return true;
        } catch (NoSuchFileException e) {
            return false; // dropped (a purged partition) or truncated away since it was listed
        } catch (IOException e) {
            log.debug("write-back of {} failed: {}", file, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        pass.shutdownNow();
    }
}
