package io.carebus.journal;

/**
 * How the journal commits an outbound delivery record ({@code carebus.journal.delivery-commit}).
 *
 * <p>The record exists so that a destination is not sent a message twice when its queue transaction is rolled
 * back or the engine dies after the destination acknowledged it. Each outbound consumer commits one record per
 * message, so with {@link #DURABLE} (the default) every delivery waits for a WAL flush of its own: on a disk whose
 * flush takes milliseconds (network storage) that, not the CPU, bounds what one destination can take.
 *
 * <p>{@link #ASYNC} commits with PostgreSQL's {@code synchronous_commit = off} for that transaction alone: the record
 * is visible at once and survives the engine being killed (the database keeps running and writes it within
 * {@code wal_writer_delay}, 200 ms by default, and a shutdown of the database writes it too). Only a crash of
 * PostgreSQL or of the machine in that moment can lose it, and then the message is sent to the destination once
 * more: never lost, at worst repeated, as the downstream acknowledgement window already allows. The journal rows
 * of received messages, and everything the ACK depends on, are always committed durably.
 */
public enum DeliveryCommit {
    /** PostgreSQL flushes the record before the commit returns. */
    DURABLE,
    /** The commit returns before the flush ({@code SET LOCAL synchronous_commit = off}). */
    ASYNC
}
