package io.carebus.journal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Journal content too large for a database row: encrypted on disk ({@link ContentStreamCipher}) under
 * {@code <dir>/<yyyyMMdd>/<uuid>.enc}, one folder per day of receipt like the journal's daily partitions, so
 * retention drops a whole day at once. The journal row keeps the reference {@code <yyyyMMdd>/<uuid>.enc}.
 */
public class JournalContentFiles {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    private final Path dir;
    private final ContentStreamCipher cipher;

    public JournalContentFiles(Path dir, ContentStreamCipher cipher) {
        this.dir = dir.toAbsolutePath();
        this.cipher = cipher;
    }

    /** Encrypts {@code plain} to a new file of the day of {@code receivedAt}; returns its reference. */
    public String write(Path plain, Instant receivedAt) {
        String reference = DAY.format(receivedAt.atZone(ZoneOffset.UTC)) + "/" + UUID.randomUUID() + ".enc";
        Path target = dir.resolve(reference);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try {
            Files.createDirectories(target.getParent());
            try (InputStream in = new BufferedInputStream(Files.newInputStream(plain));
                 OutputStream out = new BufferedOutputStream(Files.newOutputStream(partial))) {
                cipher.encrypt(in, out);
            }
            try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true); // on disk before the journal row that refers to it commits
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return reference;
        } catch (IOException e) {
            throw new JournalContentException("Journal content file " + reference + " cannot be written", e);
        }
    }

    /** The decrypted content of a reference, read as it streams. */
    public InputStream open(String reference) {
        Path file = resolve(reference);
        InputStream sealed;
        try {
            sealed = Files.newInputStream(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new JournalContentException("journal content file " + reference
                    + " is missing from the content folder (carebus.journal.content-dir)", e);
        } catch (IOException e) {
            throw new JournalContentException("journal content file " + reference + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
        try {
            return cipher.decrypting(sealed);
        } catch (IOException | RuntimeException e) {
            closeQuietly(sealed, e);
            if (e instanceof JournalContentException content) {
                throw content;
            }
            throw new JournalContentException("journal content file " + reference + " cannot be read ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Deletes the day folders older than {@code oldestKept}; returns the days deleted. */
    public List<String> dropDaysBefore(LocalDate oldestKept) {
        List<String> dropped = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return dropped;
        }
        try (Stream<Path> days = Files.list(dir)) {
            for (Path day : days.toList()) {
                String name = day.getFileName().toString();
                if (name.matches("[0-9]{8}") && LocalDate.parse(name, DAY).isBefore(oldestKept)) {
                    deleteTree(day);
                    dropped.add(name);
                }
            }
        } catch (IOException e) {
            throw new JournalContentException("Journal content folder " + dir + " cannot be cleaned", e);
        }
        return dropped;
    }

    private Path resolve(String reference) {
        if (!reference.matches("[0-9]{8}/[0-9a-f-]{36}\\.enc")) {
            throw new JournalContentException("Not a journal content reference: " + reference);
        }
        return dir.resolve(reference);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
