package io.carebus.hl7v2.mllp;

/**
 * How long the listener waits after a failed accept (out of file descriptors, say): 10 ms, doubling up to 1 s
 * while it keeps failing, no wait again once a connection is accepted. A persistent failure is logged at most
 * once per longest wait, with the number of failures since, instead of once per attempt.
 */
final class AcceptBackoff {

    static final long FIRST_WAIT_MS = 10;
    static final long LONGEST_WAIT_MS = 1000;

    /** What to do after a failure: wait {@code waitMs}; log it when {@code toReport} (failures since the last log) > 0. */
    record Failure(long waitMs, long toReport) {
    }

    private long waitMs;
    private long failures;
    private long unreported;
    private long lastReportNanos;

    Failure failed(long nowNanos) {
        failures++;
        unreported++;
        waitMs = waitMs == 0 ? FIRST_WAIT_MS : Math.min(LONGEST_WAIT_MS, waitMs * 2);
        if (failures > 1 && nowNanos - lastReportNanos < LONGEST_WAIT_MS * 1_000_000) {
            return new Failure(waitMs, 0);
        }
        lastReportNanos = nowNanos;
        long toReport = unreported;
        unreported = 0;
        return new Failure(waitMs, toReport);
    }

    /** A connection was accepted; returns how many attempts had failed in a row before it. */
    long succeeded() {
        long before = failures;
        failures = 0;
        unreported = 0;
        waitMs = 0;
        return before;
    }
}
