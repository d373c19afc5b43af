package io.carebus.journal;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** SQL for the journal tables (see db/migration). Content is stored encrypted by {@link ContentCipher}. */
public class JournalRepository {

    private final JdbcTemplate jdbc;
    private final DeliveryCommit deliveryCommit;

    public JournalRepository(JdbcTemplate jdbc, DeliveryCommit deliveryCommit) {
        this.jdbc = jdbc;
        this.deliveryCommit = deliveryCommit;
    }

    /** A new row to insert. */
    public record NewMessage(
            Instant receivedAt, String channel, String sender, String receiver, String messageType,
            String triggerEvent, String controlId, String version, String patientKey, MessageStatus status,
            String error, int sizeBytes, byte[] encryptedContent, String contentReference, Long replayOf) {
    }

    /** A row's content as stored: encrypted bytes, or (large content) the reference of its encrypted file. */
    public record StoredContent(byte[] encrypted, String reference) {
    }

    /** Inserts and commits one row; returns its id. */
    public long insert(NewMessage m) {
        Long id = jdbc.queryForObject(INSERT_SQL + " RETURNING id", Long.class,
                Timestamp.from(m.receivedAt()), m.channel(), m.sender(), m.receiver(), m.messageType(),
                m.triggerEvent(), m.controlId(), m.version(), m.patientKey(), m.status().dbValue(), m.error(),
                m.sizeBytes(), m.encryptedContent(), m.contentReference(), m.replayOf());
        return id;
    }

    private static final String INSERT_SQL = """
            INSERT INTO journal_message (received_at, channel, sender, receiver, message_type, trigger_event,
                control_id, version, patient_key, status, error, size_bytes, content, content_ref, replay_of)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    /**
     * Inserts rows in one transaction (one commit, one round trip for the whole batch) and returns their ids, in
     * order. All or nothing: on any failure nothing is inserted and the exception is thrown.
     */
    public long[] insertAll(List<NewMessage> rows) {
        return inTransaction(con -> {
            try (java.sql.PreparedStatement ps = con.prepareStatement(INSERT_SQL, new String[] {"id"})) {
                for (NewMessage m : rows) {
                    bind(ps, m);
                    ps.addBatch();
                }
                ps.executeBatch();
                long[] ids = new long[rows.size()];
                try (ResultSet keys = ps.getGeneratedKeys()) {
                    for (int i = 0; i < ids.length; i++) {
                        if (!keys.next()) {
                            throw new SQLException("Batch insert returned " + i + " ids for " + ids.length + " rows");
                        }
                        ids[i] = keys.getLong(1);
                    }
                }
                return ids;
            }
        });
    }

    /** Runs the work on one connection in a transaction of its own: committed if it returns, rolled back if not. */
    private <T> T inTransaction(ConnectionCallback<T> work) {
        return jdbc.execute((java.sql.Connection con) -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try {
                T result = work.doInConnection(con);
                con.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                con.rollback();
                throw e;
            } finally {
                con.setAutoCommit(autoCommit);
            }
        });
    }

    private static void bind(java.sql.PreparedStatement ps, NewMessage m) throws SQLException {
        ps.setTimestamp(1, Timestamp.from(m.receivedAt()));
        ps.setString(2, m.channel());
        ps.setString(3, m.sender());
        ps.setString(4, m.receiver());
        ps.setString(5, m.messageType());
        ps.setString(6, m.triggerEvent());
        ps.setString(7, m.controlId());
        ps.setString(8, m.version());
        ps.setString(9, m.patientKey());
        ps.setString(10, m.status().dbValue());
        ps.setString(11, m.error());
        ps.setInt(12, m.sizeBytes());
        ps.setBytes(13, m.encryptedContent());
        ps.setString(14, m.contentReference());
        ps.setObject(15, m.replayOf(), java.sql.Types.BIGINT);
    }

    /**
     * Claims (sender, control id) for this message. Returns true when another message already holds the key
     * within the window; a redelivery of the same message (same id) is not a duplicate of itself.
     */
    public boolean isDuplicate(String sender, String controlId, long messageId, Instant receivedAt, Duration window) {
        return !takeDuplicateKeys(List.of(new DedupKey(sender, controlId, messageId, receivedAt)), window)
                .contains(messageId);
    }

    /** A message's duplicate-detection key: sender (MSH-3 and MSH-4, Hl7MessageHeader.sender()) and MSH-10. */
    public record DedupKey(String sender, String controlId, long messageId, Instant receivedAt) {
    }

    /**
     * {@link #isDuplicate} for many messages in one statement; the keys' (sender, control id) pairs must be
     * distinct (ON CONFLICT may touch a row only once per statement). Returns the message ids that own their key,
     * that is, that are not duplicates.
     */
    public Set<Long> takeDuplicateKeys(List<DedupKey> keys, Duration window) {
        int n = keys.size();
        String[] senders = new String[n];
        String[] controlIds = new String[n];
        Timestamp[] receivedAt = new Timestamp[n];
        Long[] messageIds = new Long[n];
        for (int i = 0; i < n; i++) {
            DedupKey k = keys.get(i);
            senders[i] = k.sender();
            controlIds[i] = k.controlId();
            receivedAt[i] = Timestamp.from(k.receivedAt());
            messageIds[i] = k.messageId();
        }
        List<Long> owners = jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    INSERT INTO hl7_dedup AS d (sender, control_id, received_at, message_id)
                    SELECT * FROM unnest(?::text[], ?::text[], ?::timestamptz[], ?::bigint[])
                    ON CONFLICT (sender, control_id) DO UPDATE
                       SET received_at = EXCLUDED.received_at, message_id = EXCLUDED.message_id
                     WHERE d.received_at < EXCLUDED.received_at - make_interval(secs => ?)
                        OR d.message_id = EXCLUDED.message_id
                    RETURNING message_id""");
            ps.setArray(1, con.createArrayOf("text", senders));
            ps.setArray(2, con.createArrayOf("text", controlIds));
            ps.setArray(3, con.createArrayOf("timestamptz", receivedAt));
            ps.setArray(4, con.createArrayOf("bigint", messageIds));
            ps.setDouble(5, (double) window.toSeconds());
            return ps;
        }, (rs, i) -> rs.getLong(1));
        return new HashSet<>(owners);
    }

    /** Drops duplicate-detection keys older than the window. */
    public int purgeDuplicateKeys(Instant olderThan) {
        return jdbc.update("DELETE FROM hl7_dedup WHERE received_at < ?", Timestamp.from(olderThan));
    }

    /**
     * Applies the changes in one statement: one plan and one round trip per batch instead of one per row. At most
     * one change per message ({@link JournalStatusWriter#coalesce} makes it so): an UPDATE ... FROM matching a
     * row twice would apply only one of its changes, at random.
     */
    public void updateStatusBatch(List<StatusChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        int n = changes.size();
        Long[] ids = new Long[n];
        Timestamp[] receivedAt = new Timestamp[n];
        String[] statuses = new String[n];
        String[] errors = new String[n];
        for (int i = 0; i < n; i++) {
            StatusChange c = changes.get(i);
            ids[i] = c.messageId();
            receivedAt[i] = Timestamp.from(c.receivedAt());
            statuses[i] = c.status().dbValue();
            errors[i] = c.error();
        }
        jdbc.update(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    UPDATE journal_message m
                       SET status = c.status, error = COALESCE(c.error, m.error), updated_at = now()
                      FROM unnest(?::bigint[], ?::timestamptz[], ?::text[], ?::text[])
                           AS c(id, received_at, status, error)
                     WHERE m.id = c.id AND m.received_at = c.received_at
                       AND journal_status_rank(m.status) <= journal_status_rank(c.status)""");
            ps.setArray(1, con.createArrayOf("bigint", ids));
            ps.setArray(2, con.createArrayOf("timestamptz", receivedAt));
            ps.setArray(3, con.createArrayOf("text", statuses));
            ps.setArray(4, con.createArrayOf("text", errors));
            return ps;
        });
    }

    private static final String RECORD_DELIVERY_SQL = """
            INSERT INTO journal_delivery (message_id, received_at, destination, status, error)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (message_id, destination, received_at) DO UPDATE
               SET status = EXCLUDED.status, error = EXCLUDED.error,
                   attempts = journal_delivery.attempts + 1, updated_at = now()""";

    /**
     * Records the outcome for one destination in a transaction of its own, committed before the queue transaction
     * is; {@link DeliveryCommit} says whether the commit waits for the WAL flush.
     */
    public void recordDelivery(long messageId, Instant receivedAt, String destination, MessageStatus status,
                               String error) {
        if (deliveryCommit == DeliveryCommit.DURABLE) {
            jdbc.update(RECORD_DELIVERY_SQL, messageId, Timestamp.from(receivedAt), destination, status.dbValue(),
                    error);
            return;
        }
        inTransaction(con -> {
            try (java.sql.Statement set = con.createStatement();
                 PreparedStatement ps = con.prepareStatement(RECORD_DELIVERY_SQL)) {
                set.execute("SET LOCAL synchronous_commit = off");
                ps.setLong(1, messageId);
                ps.setTimestamp(2, Timestamp.from(receivedAt));
                ps.setString(3, destination);
                ps.setString(4, status.dbValue());
                ps.setString(5, error);
                return ps.executeUpdate();
            }
        });
    }

    public boolean wasDelivered(long messageId, Instant receivedAt, String destination) {
        Integer n = jdbc.queryForObject("""
                SELECT count(*) FROM journal_delivery
                 WHERE message_id = ? AND received_at = ? AND destination = ? AND status = 'delivered'""",
                Integer.class, messageId, Timestamp.from(receivedAt), destination);
        return n != null && n > 0;
    }

    /**
     * The ids among these messages that are recorded as delivered to the destination, in one query; the range of
     * their receive times limits it to the partitions they are in.
     */
    public Set<Long> deliveredAmong(List<Long> messageIds, List<Instant> receivedAt, String destination) {
        Instant from = receivedAt.stream().min(Instant::compareTo).orElseThrow();
        Instant to = receivedAt.stream().max(Instant::compareTo).orElseThrow();
        List<Long> delivered = jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement("""
                    SELECT message_id FROM journal_delivery
                     WHERE message_id = ANY (?::bigint[]) AND destination = ?
                       AND received_at BETWEEN ? AND ? AND status = 'delivered'""");
            ps.setArray(1, con.createArrayOf("bigint", messageIds.toArray()));
            ps.setString(2, destination);
            ps.setTimestamp(3, Timestamp.from(from));
            ps.setTimestamp(4, Timestamp.from(to));
            return ps;
        }, (rs, i) -> rs.getLong(1));
        return new HashSet<>(delivered);
    }

    public record Delivery(String destination, String status, int attempts, String error, Instant updatedAt) {
    }

    public List<Delivery> deliveries(long messageId) {
        return jdbc.query("""
                SELECT destination, status, attempts, error, updated_at FROM journal_delivery
                 WHERE message_id = ? ORDER BY destination""",
                (rs, i) -> new Delivery(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant()), messageId);
    }

    public Optional<JournalEntry> find(long id) {
        return jdbc.query("SELECT * FROM journal_message WHERE id = ?", ENTRY, id).stream().findFirst();
    }

    /** True when the row was made by a replay (replay_of set); its receipt time finds its partition. */
    public boolean isReplay(long id, Instant receivedAt) {
        return Boolean.TRUE.equals(jdbc.query(
                "SELECT replay_of IS NOT NULL FROM journal_message WHERE id = ? AND received_at = ?",
                (rs, i) -> rs.getBoolean(1), id, Timestamp.from(receivedAt)).stream().findFirst().orElse(false));
    }

    public Optional<StoredContent> storedContent(long id) {
        return jdbc.query("SELECT content, content_ref FROM journal_message WHERE id = ?",
                (rs, i) -> new StoredContent(rs.getBytes(1), rs.getString(2)), id).stream().findFirst();
    }

    /** True when the row's content is kept in an encrypted file rather than in the row. */
    public boolean contentInFile(long id) {
        return Boolean.TRUE.equals(jdbc.query("SELECT content_ref IS NOT NULL FROM journal_message WHERE id = ?",
                (rs, i) -> rs.getBoolean(1), id).stream().findFirst().orElse(false));
    }

    public List<JournalEntry> search(JournalSearch s) {
        StringBuilder sql = new StringBuilder("SELECT * FROM journal_message WHERE true");
        List<Object> args = new ArrayList<>();
        eq(sql, args, "channel", s.channel());
        eq(sql, args, "message_type", s.messageType());
        eq(sql, args, "trigger_event", s.triggerEvent());
        eq(sql, args, "control_id", s.controlId());
        status(sql, args, s.status());
        eq(sql, args, "patient_key", s.patientKey());
        if (s.from() != null) {
            sql.append(" AND received_at >= ?");
            args.add(Timestamp.from(s.from()));
        }
        if (s.to() != null) {
            sql.append(" AND received_at < ?");
            args.add(Timestamp.from(s.to()));
        }
        sql.append(" ORDER BY received_at DESC, id DESC LIMIT ?");
        args.add(Math.max(1, Math.min(s.limit() <= 0 ? 100 : s.limit(), 1000)));
        return jdbc.query(sql.toString(), ENTRY, args.toArray());
    }

    /**
     * A message's row keeps the furthest status any of its destinations reached: delivered to one destination and
     * dead (or still failing) on another, it says delivered. An analyst looking for dead (or error) messages means
     * either, so those two also find every message with a destination in that state (journal_delivery, through
     * its partial index journal_delivery_failing_idx; the status is written as a literal so the planner can use it).
     */
    private static void status(StringBuilder sql, List<Object> args, String status) {
        if (status == null || status.isBlank()) {
            return;
        }
        String failing = FAILING.stream().map(MessageStatus::dbValue).filter(status::equals).findFirst().orElse(null);
        if (failing == null) {
            eq(sql, args, "status", status);
            return;
        }
        sql.append(" AND (id, received_at) IN (SELECT id, received_at FROM journal_message WHERE status = '")
                .append(failing).append("' UNION SELECT message_id, received_at FROM journal_delivery WHERE status = '")
                .append(failing).append("')");
    }

    /** Statuses a destination can be left in that {@link #search} looks for in the per-destination outcomes too. */
    private static final List<MessageStatus> FAILING = List.of(MessageStatus.DEAD, MessageStatus.ERROR);

    private static void eq(StringBuilder sql, List<Object> args, String column, String value) {
        if (value != null && !value.isBlank()) {
            sql.append(" AND ").append(column).append(" = ?");
            args.add(value);
        }
    }

    public void audit(String username, String action, Long messageId, String detail) {
        jdbc.update("INSERT INTO journal_audit (username, action, message_id, detail) VALUES (?, ?, ?, ?)",
                username, action, messageId, detail);
    }

    public record AuditRecord(Instant at, String username, String action, Long messageId, String detail) {
    }

    public List<AuditRecord> auditTrail(long messageId) {
        return jdbc.query("""
                SELECT at, username, action, message_id, detail FROM journal_audit
                 WHERE message_id = ? ORDER BY id""",
                (rs, i) -> new AuditRecord(rs.getTimestamp(1).toInstant(), rs.getString(2), rs.getString(3),
                        rs.getObject(4, Long.class), rs.getString(5)), messageId);
    }

    /** Creates daily partitions from {@code fromDay} on (UTC) for {@code days} days. */
    public void ensurePartitions(java.time.LocalDate fromDay, int days) {
        jdbc.queryForList("SELECT journal_ensure_partitions(?, ?)", java.sql.Date.valueOf(fromDay), days);
    }

    /** Daily partitions (name and day) of a partitioned table. */
    public List<String> dailyPartitions(String table) {
        return jdbc.queryForList("""
                SELECT c.relname FROM pg_inherits i
                  JOIN pg_class c ON c.oid = i.inhrelid
                  JOIN pg_class p ON p.oid = i.inhparent
                 WHERE p.relname = ? AND c.relname ~ '_[0-9]{8}$' ORDER BY c.relname""", String.class, table);
    }

    /**
     * Drops a partition: frees its disk space at once, unlike DELETE. DROP needs an exclusive lock on the
     * partitioned table, and while it waits for one (a long search holding a read lock) every insert queues behind
     * it, the intake's included; so it waits at most {@code lockTimeout} and gives up. Returns false when it gave up
     * (the partition stays until a later try). DETACH ... CONCURRENTLY would not help: PostgreSQL refuses it on a
     * table with a DEFAULT partition.
     */
    public boolean dropPartition(String partition, Duration lockTimeout) {
        if (!partition.matches("journal_(message|delivery)_[0-9]{8}")) {
            throw new IllegalArgumentException("Not a journal partition: " + partition);
        }
        return Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) con -> {
            boolean autoCommit = con.getAutoCommit();
            con.setAutoCommit(false);
            try (Statement st = con.createStatement()) {
                // SET LOCAL: ends with the transaction, so the pooled connection keeps its own setting
                st.execute("SET LOCAL lock_timeout = " + Math.max(1, lockTimeout.toMillis()));
                st.execute("DROP TABLE IF EXISTS " + partition);
                con.commit();
                return true;
            } catch (SQLException e) {
                con.rollback();
                if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                    return false;
                }
                throw e;
            } finally {
                con.setAutoCommit(autoCommit);
            }
        }));
    }

    /** PostgreSQL's lock_not_available, what a lock_timeout raises. */
    private static final String LOCK_NOT_AVAILABLE = "55P03";

    /**
     * Deletes the rows of the DEFAULT partitions received before {@code receivedBefore}: a row outside the prepared
     * days (clock skew, a day maintenance did not run) is kept there, where no partition drop reaches it. DELETE is
     * fine for those: the default partitions hold next to nothing. Returns the messages deleted.
     */
    public int purgeDefaultPartitions(Instant receivedBefore) {
        Timestamp before = Timestamp.from(receivedBefore);
        jdbc.update("DELETE FROM journal_delivery_default WHERE received_at < ?", before);
        return jdbc.update("DELETE FROM journal_message_default WHERE received_at < ?", before);
    }

    private static final RowMapper<JournalEntry> ENTRY = (ResultSet rs, int i) -> entry(rs);

    private static JournalEntry entry(ResultSet rs) throws SQLException {
        return new JournalEntry(rs.getLong("id"), rs.getTimestamp("received_at").toInstant(),
                rs.getString("channel"), rs.getString("sender"), rs.getString("receiver"),
                rs.getString("message_type"), rs.getString("trigger_event"), rs.getString("control_id"),
                rs.getString("version"), rs.getString("patient_key"), rs.getString("status"),
                rs.getString("error"), rs.getInt("size_bytes"), rs.getObject("replay_of", Long.class),
                rs.getTimestamp("updated_at").toInstant());
    }
}
