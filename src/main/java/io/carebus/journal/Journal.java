package io.carebus.journal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.carebus.CarebusHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The message journal as the routes see it: store a received message (synchronously, before the ACK),
 * move it along its lifecycle (asynchronously), and record per-destination outcomes.
 */
public class Journal {

    private final JournalRepository repository;
    private final JournalStatusWriter statusWriter;
    private final ContentCipher cipher;
    private final PatientKeyHasher patientKeys;
    private final JournalContentFiles files;
    private final long inlineMaxBytes;

    /**
     * @param files          where content larger than {@code inlineMaxBytes} is kept, encrypted, instead of the row
     * @param inlineMaxBytes the largest content stored in the journal row itself
     */
    public Journal(JournalRepository repository, JournalStatusWriter statusWriter, ContentCipher cipher,
                   PatientKeyHasher patientKeys, JournalContentFiles files, long inlineMaxBytes) {
        this.repository = repository;
        this.statusWriter = statusWriter;
        this.cipher = cipher;
        this.patientKeys = patientKeys;
        this.files = files;
        this.inlineMaxBytes = inlineMaxBytes;
    }

    /**
     * Content made ready for one or more journal rows (a file holding several interchanges gives a row each):
     * encrypted for the row itself ({@code encrypted}) or kept in an encrypted file ({@code reference}).
     */
    public record StoredContent(long sizeBytes, byte[] encrypted, String reference) {
    }

    /** What the journal keeps about a new message besides its bytes. */
    public record Metadata(String channel, String sender, String receiver, String messageType, String triggerEvent,
                           String controlId, String version, String patientKey) {
        public static Metadata unknown(String channel) {
            return new Metadata(channel, null, null, null, null, null, null, null);
        }
    }

    /**
     * The receipt time to journal a message with: millisecond precision, because it travels with the message as
     * an epoch-millisecond header and must find its row (partition key) again.
     */
    public static Instant now() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    }

    /** Stores the raw bytes encrypted and commits; returns the row id. */
    public long store(Metadata m, byte[] raw, Instant receivedAt, MessageStatus status, String error,
                      Long replayOf) {
        return store(m, new StoredContent(raw.length, cipher.encrypt(raw), null), receivedAt, status, error,
                replayOf);
    }

    /** Stores a row with content made ready by {@link #prepare} and commits; returns the row id. */
    public long store(Metadata m, StoredContent content, Instant receivedAt, MessageStatus status, String error,
                      Long replayOf) {
        return repository.insert(row(m, content, receivedAt, status, error, replayOf));
    }

    /** A received message's row, encrypted, ready for {@link #storeAll} (nothing is written yet). */
    public JournalRepository.NewMessage newRow(Metadata m, byte[] raw, Instant receivedAt, MessageStatus status) {
        return row(m, new StoredContent(raw.length, cipher.encrypt(raw), null), receivedAt, status, null, null);
    }

    /** Stores rows made by {@link #newRow} in one transaction; returns their ids in order. */
    public long[] storeAll(List<JournalRepository.NewMessage> rows) {
        return repository.insertAll(rows);
    }

    private static JournalRepository.NewMessage row(Metadata m, StoredContent content, Instant receivedAt,
                                                    MessageStatus status, String error, Long replayOf) {
        return new JournalRepository.NewMessage(receivedAt, m.channel(), m.sender(),
                m.receiver(), m.messageType(), m.triggerEvent(), m.controlId(), m.version(), m.patientKey(),
                status, truncate(error), (int) Math.min(Integer.MAX_VALUE, content.sizeBytes()),
                content.encrypted() == null ? new byte[0] : content.encrypted(), content.reference(), replayOf);
    }

    /**
     * Encrypts a received file for the journal without holding it in memory when it is large: up to the inline
     * limit it goes in the row, above it in an encrypted file (read as it streams).
     */
    public StoredContent prepare(Path file, Instant receivedAt) {
        try {
            long size = Files.size(file);
            if (size <= inlineMaxBytes) {
                return new StoredContent(size, cipher.encrypt(Files.readAllBytes(file)), null);
            }
            return new StoredContent(size, null, files.write(file, receivedAt));
        } catch (IOException e) {
            throw new JournalContentException("Received file cannot be read for the journal", e);
        }
    }

    /** True when content of this size is kept in a file rather than the row. */
    public boolean keptAsFile(long sizeBytes) {
        return sizeBytes > inlineMaxBytes;
    }

    public String patientKey(String identifier, String authority) {
        return patientKeys.hash(identifier, authority);
    }

    /** Moves the message on the exchange to a new status (written asynchronously, in order). */
    public void status(Exchange exchange, MessageStatus status) {
        status(exchange, status, null);
    }

    public void status(Exchange exchange, MessageStatus status, String error) {
        Message in = exchange.getMessage();
        Long id = in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
        Long at = in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class);
        if (id != null && at != null) {
            statusWriter.submit(new StatusChange(id, Instant.ofEpochMilli(at), status, truncate(error)));
        }
    }

    /** Moves one row to a new status now (synchronously), under the same rank guard as {@link #status}. */
    public void statusNow(long id, Instant receivedAt, MessageStatus status, String error) {
        repository.updateStatusBatch(java.util.List.of(new StatusChange(id, receivedAt, status, truncate(error))));
    }

    public void recordDelivery(Exchange exchange, String destination, MessageStatus status, String error) {
        Message in = exchange.getMessage();
        repository.recordDelivery(in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class),
                Instant.ofEpochMilli(in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class)), destination, status,
                truncate(error));
    }

    public boolean wasDelivered(Exchange exchange, String destination) {
        Message in = exchange.getMessage();
        return repository.wasDelivered(in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class),
                Instant.ofEpochMilli(in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class)), destination);
    }

    /** {@link #wasDelivered} for many messages at once: the journal ids of those already delivered there. */
    public Set<Long> deliveredAmong(List<Exchange> exchanges, String destination) {
        List<Long> ids = new ArrayList<>(exchanges.size());
        List<Instant> receivedAt = new ArrayList<>(exchanges.size());
        for (Exchange exchange : exchanges) {
            Message in = exchange.getMessage();
            ids.add(in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class));
            receivedAt.add(Instant.ofEpochMilli(in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class)));
        }
        return repository.deliveredAmong(ids, receivedAt, destination);
    }

    public boolean isDuplicate(String sender, String controlId, long messageId, Instant receivedAt,
                               Duration window) {
        return repository.isDuplicate(sender, controlId, messageId, receivedAt, window);
    }

    /** {@link #isDuplicate} for many messages at once: the ids of those that are not duplicates. */
    public Set<Long> takeDuplicateKeys(List<JournalRepository.DedupKey> keys, Duration window) {
        return repository.takeDuplicateKeys(keys, window);
    }

    public Optional<JournalEntry> find(long id) {
        return repository.find(id);
    }

    /**
     * Decrypted content, whole; callers that show it to a person must audit the view. Content no configured key
     * opens: {@link JournalContentKeyException}; a content file missing or unreadable:
     * {@link JournalContentUnreadableException}.
     */
    public Optional<byte[]> content(long id) {
        return contentStream(id).map(in -> {
            try (in) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new JournalContentUnreadableException(id, "read failed (" + e.getClass().getSimpleName() + ")",
                        e);
            } catch (JournalContentKeyException | JournalContentUnreadableException e) {
                throw e;
            } catch (JournalContentException e) {
                throw new JournalContentUnreadableException(id, e.getMessage(), e);
            }
        });
    }

    /**
     * Decrypted content as a stream (a large file is decrypted as it is read); the caller closes it. Throws as
     * {@link #content} does when the content cannot be opened.
     */
    public Optional<InputStream> contentStream(long id) {
        return repository.storedContent(id).map(stored -> open(id, stored));
    }

    private InputStream open(long id, JournalRepository.StoredContent stored) {
        try {
            return stored.reference() != null ? files.open(stored.reference())
                    : new ByteArrayInputStream(cipher.decrypt(stored.encrypted()));
        } catch (JournalContentKeyException e) {
            throw e;
        } catch (JournalContentException e) {
            throw new JournalContentUnreadableException(id, e.getMessage(), e);
        }
    }

    public JournalContentFiles files() {
        return files;
    }

    public JournalRepository repository() {
        return repository;
    }

    public void flush() {
        statusWriter.flush();
    }

    private static String truncate(String error) {
        return error == null || error.length() <= 2000 ? error : error.substring(0, 2000);
    }
}
