package io.carebus.journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Writes status changes in batches off the message path. Status is bookkeeping for people: the durable state
 * of a message is the queue it sits on, so a change lost in a crash only leaves an older status behind
 * (received/queued), never a lost message. Changes are applied in the order they were made.
 *
 * <p>A change to a status a message is only passing through (queued, transformed, routed) is held back until the
 * next batch, unless one of that message's changes was held already: by then most messages have moved on, and
 * only their later status is written. Under load a message used to cost two or three row updates of its journal
 * row (each a new row version with all its index entries), its steps falling into different windows; held back,
 * it mostly costs one. No status lags more than two windows.
 */
public class JournalStatusWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JournalStatusWriter.class);
    private static final int MAX_BATCH = 1000;

    private final JournalRepository repository;
    private final long windowNanos;
    private final BlockingQueue<StatusChange> pending = new LinkedBlockingQueue<>(200_000);
    private volatile boolean running;
    private Thread worker;
    /** Changes held back from the last batch (see the class comment), by message id; guarded by this. */
    private Map<Long, StatusChange> held = new LinkedHashMap<>();
    private long heldSince;

    /** @param window how long to gather changes after the first one before writing them (zero: write at once) */
    public JournalStatusWriter(JournalRepository repository, Duration window) {
        this.repository = repository;
        this.windowNanos = window.toNanos();
    }

    public void submit(StatusChange change) {
        if (!pending.offer(change)) {
            // Back-pressure rather than dropping: the writer is behind, write this one inline.
            repository.updateStatusBatch(List.of(change));
        }
    }

    /** Blocks until everything submitted so far is written (tests, shutdown). */
    public void flush() {
        drainOnce();
    }

    private void run() {
        while (running || !pending.isEmpty()) {
            try {
                cycle();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Holds the lock from poll to write so a concurrent flush cannot overtake a polled change. */
    private synchronized void cycle() throws InterruptedException {
        StatusChange first = pending.poll(50, TimeUnit.MILLISECONDS);
        if (first == null) {
            if (!held.isEmpty() && System.nanoTime() - heldSince >= windowNanos) {
                writeOrHold(List.of());
            }
            return;
        }
        List<StatusChange> batch = new ArrayList<>(64);
        batch.add(first);
        // Wait out the window, then take what came: waking up for each change as it arrives costs a thread switch
        // per message under load. A full batch's worth already waiting is written at once.
        if (windowNanos > 0 && pending.size() < MAX_BATCH - 1) {
            TimeUnit.NANOSECONDS.sleep(windowNanos);
        }
        pending.drainTo(batch, MAX_BATCH - 1);
        writeOrHold(batch);
    }

    /** Writes everything, the held-back changes too. */
    private synchronized void drainOnce() {
        List<StatusChange> batch = new ArrayList<>(held.values());
        held = new LinkedHashMap<>();
        pending.drainTo(batch);
        if (!batch.isEmpty()) {
            write(batch);
        }
    }

    /** Writes the batch with the changes held back last time, and holds back the new passing ones. */
    private synchronized void writeOrHold(List<StatusChange> batch) {
        if (windowNanos == 0) {
            write(batch);
            return;
        }
        Split split = split(held, batch);
        held = split.held();
        heldSince = System.nanoTime();
        if (!split.write().isEmpty()) {
            write(split.write());
        }
    }

    /** What to write now and what to hold back until the next batch. */
    record Split(List<StatusChange> write, Map<Long, StatusChange> held) {
    }

    /**
     * The held-back changes and the new batch, coalesced; of those, a change to a passing status is held back again
     * only if nothing of its message was held back before, so none is held twice.
     */
    static Split split(Map<Long, StatusChange> heldBefore, List<StatusChange> batch) {
        List<StatusChange> all = new ArrayList<>(heldBefore.size() + batch.size());
        all.addAll(heldBefore.values());
        all.addAll(batch);
        List<StatusChange> write = new ArrayList<>(all.size());
        Map<Long, StatusChange> hold = new LinkedHashMap<>();
        for (StatusChange change : coalesce(all)) {
            if (isPassing(change.status()) && !heldBefore.containsKey(change.messageId())) {
                hold.put(change.messageId(), change);
            } else {
                write.add(change);
            }
        }
        return new Split(write, hold);
    }

    /** A status a message normally moves on from within moments. */
    private static boolean isPassing(MessageStatus status) {
        return status == MessageStatus.QUEUED || status == MessageStatus.TRANSFORMED
                || status == MessageStatus.ROUTED;
    }

    private synchronized void write(List<StatusChange> batch) {
        try {
            repository.updateStatusBatch(coalesce(batch));
        } catch (RuntimeException e) {
            log.warn("Could not write {} journal status changes: {}", batch.size(), e.getMessage());
        }
    }

    /**
     * One change per message instead of each step: applied in order under the rank guard, a message's changes end
     * on the last one of the highest rank, so that one alone gives the same status (the guard still decides against
     * the row). The error text kept is the last one given, as COALESCE would have kept it. Under load a message
     * often goes queued, transformed and routed within one batch: one row update instead of three.
     */
    static List<StatusChange> coalesce(List<StatusChange> batch) {
        if (batch.size() < 2) {
            return batch;
        }
        Map<Long, StatusChange> last = new LinkedHashMap<>();
        for (StatusChange change : batch) {
            last.merge(change.messageId(), change, (before, next) -> {
                StatusChange winner = next.status().rank() >= before.status().rank() ? next : before;
                String error = next.error() != null ? next.error() : before.error();
                return new StatusChange(winner.messageId(), winner.receivedAt(), winner.status(), error);
            });
        }
        return last.size() == batch.size() ? batch : new ArrayList<>(last.values());
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::run, "carebus-journal-status");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        try {
            worker.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        drainOnce();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stops after Camel (which stops at Integer.MAX_VALUE - 1 phases) so the last changes are written. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2048;
    }
}
