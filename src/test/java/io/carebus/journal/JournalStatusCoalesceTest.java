package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class JournalStatusCoalesceTest {

    private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

    private static StatusChange change(long id, MessageStatus status, String error) {
        return new StatusChange(id, AT, status, error);
    }

    @Test
    void aMessageThatMovedSeveralStepsInOneBatchIsWrittenOnce() {
        List<StatusChange> out = JournalStatusWriter.coalesce(List.of(
                change(1, MessageStatus.QUEUED, null), change(2, MessageStatus.QUEUED, null),
                change(1, MessageStatus.TRANSFORMED, null), change(1, MessageStatus.ROUTED, null)));
        assertThat(out).containsExactly(change(1, MessageStatus.ROUTED, null), change(2, MessageStatus.QUEUED, null));
    }

    @Test
    void aLowerStatusArrivingLateDoesNotWinAsTheGuardWouldRefuseIt() {
        List<StatusChange> out = JournalStatusWriter.coalesce(List.of(
                change(1, MessageStatus.DELIVERED, null), change(1, MessageStatus.ROUTED, null)));
        assertThat(out).containsExactly(change(1, MessageStatus.DELIVERED, null));
    }

    @Test
    void equalRanksKeepTheLastAndTheErrorTextSurvives() {
        List<StatusChange> out = JournalStatusWriter.coalesce(List.of(
                change(1, MessageStatus.ERROR, "timeout"), change(1, MessageStatus.DEAD, null)));
        assertThat(out).containsExactly(change(1, MessageStatus.DEAD, "timeout"));
        assertThat(JournalStatusWriter.coalesce(List.of(change(1, MessageStatus.ERROR, "AE from downstream"),
                change(1, MessageStatus.DELIVERED, null))))
                .containsExactly(change(1, MessageStatus.DELIVERED, "AE from downstream"));
    }

    @Test
    void aPassingStatusIsHeldBackOneBatchAndOnlyItsSuccessorIsWritten() {
        JournalStatusWriter.Split first = JournalStatusWriter.split(java.util.Map.of(), List.of(
                change(1, MessageStatus.QUEUED, null), change(2, MessageStatus.QUEUED, null),
                change(3, MessageStatus.ERROR, "AE"), change(4, MessageStatus.DUPLICATE, null)));
        assertThat(first.write()).containsExactly(change(3, MessageStatus.ERROR, "AE"),
                change(4, MessageStatus.DUPLICATE, null));
        assertThat(first.held()).containsOnlyKeys(1L, 2L);

        // 1 was delivered meanwhile: only that is written; 2 is still queued and is written now, not held again;
        // 5 is new and held
        JournalStatusWriter.Split second = JournalStatusWriter.split(first.held(), List.of(
                change(1, MessageStatus.TRANSFORMED, null), change(1, MessageStatus.DELIVERED, null),
                change(5, MessageStatus.TRANSFORMED, null)));
        assertThat(second.write()).containsExactly(change(1, MessageStatus.DELIVERED, null),
                change(2, MessageStatus.QUEUED, null));
        assertThat(second.held().values()).containsExactly(change(5, MessageStatus.TRANSFORMED, null));

        // a message held back that moves on to another passing status is written at once
        JournalStatusWriter.Split third = JournalStatusWriter.split(second.held(), List.of(
                change(5, MessageStatus.ROUTED, null)));
        assertThat(third.write()).containsExactly(change(5, MessageStatus.ROUTED, null));
        assertThat(third.held()).isEmpty();
    }

    @Test
    void rankMatchesTheDatabaseOrder() {
        assertThat(MessageStatus.RECEIVED.rank()).isLessThan(MessageStatus.QUEUED.rank());
        assertThat(MessageStatus.ROUTED.rank()).isLessThan(MessageStatus.ERROR.rank());
        assertThat(MessageStatus.ERROR.rank()).isEqualTo(MessageStatus.DEAD.rank());
        assertThat(MessageStatus.DEAD.rank()).isLessThan(MessageStatus.DELIVERED.rank());
        assertThat(MessageStatus.DUPLICATE.rank()).isGreaterThan(MessageStatus.DELIVERED.rank());
    }
}
