package io.carebus.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.carebus.config.CarebusProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's secrets: the AES-256 key for content at rest (with the previous ones, which still decrypt what
 * they sealed) and the HMAC key for patient identifiers. They come from the environment (CAREBUS_JOURNAL_KEY,
 * CAREBUS_JOURNAL_PREVIOUS_KEYS, CAREBUS_PATIENT_KEY); without a content key a development key is generated once
 * under the data directory, and every start that uses it warns (the file's path, never the key).
 */
public final class JournalKeys {

    private static final Logger log = LoggerFactory.getLogger(JournalKeys.class);

    private final byte[] contentKey;
    private final List<byte[]> previousContentKeys;
    private final byte[] patientKey;

    public JournalKeys(byte[] contentKey, byte[] patientKey) {
        this(contentKey, List.of(), patientKey);
    }

    public JournalKeys(byte[] contentKey, List<byte[]> previousContentKeys, byte[] patientKey) {
        this.contentKey = contentKey;
        this.previousContentKeys = List.copyOf(previousContentKeys);
        this.patientKey = patientKey;
    }

    public static JournalKeys from(CarebusProperties properties) throws IOException {
        CarebusProperties.Journal journal = properties.getJournal();
        List<byte[]> previous = new ArrayList<>();
        for (String key : journal.getPreviousContentKeys()) {
            if (!key.isBlank()) {
                previous.add(aes256(key, "CAREBUS_JOURNAL_PREVIOUS_KEYS (carebus.journal.previous-content-keys)"));
            }
        }
        String patient = journal.getPatientKey();
        boolean patientKeySet = patient != null && !patient.isBlank();
        if (!previous.isEmpty() && !patientKeySet) {
            // the patient key would be derived from the new content key: every older row's patient key would differ
            throw new IllegalStateException("CAREBUS_JOURNAL_PREVIOUS_KEYS is set but CAREBUS_PATIENT_KEY is not. "
                    + "Without it the patient key is derived from the journal key, so a new journal key would change "
                    + "it and older messages would no longer be found by patient nor kept in order with newer ones. "
                    + "Set CAREBUS_PATIENT_KEY to the patient key used until now (README, Security: rotating the "
                    + "journal key).");
        }
        String configured = journal.getContentKey();
        byte[] content = configured != null && !configured.isBlank()
                ? aes256(configured, "CAREBUS_JOURNAL_KEY (carebus.journal.content-key)")
                : devKey(properties.getDataDir().resolve("journal-dev.key"));
        if (content.length != 32) {
            throw new IllegalStateException("carebus.journal.content-key must be base64 of 32 bytes (AES-256)");
        }
        byte[] patientKey = patientKeySet ? Base64.getDecoder().decode(patient.trim())
                : derive(content, "carebus-patient-key");
        JournalKeys keys = new JournalKeys(content, previous, patientKey);
        List<String> ids = keys.contentKeys().ids();
        log.info("Journal content key id {}{}", ids.get(0),
                ids.size() > 1 ? "; previous key ids, still read: " + String.join(", ", ids.subList(1, ids.size())) : "");
        return keys;
    }

    public byte[] contentKey() { return contentKey.clone(); }
    public byte[] patientKey() { return patientKey.clone(); }

    /** The current content key, which encrypts, and the previous ones, which only decrypt. */
    public ContentKeyRing contentKeys() {
        return new ContentKeyRing(contentKey, previousContentKeys);
    }

    private static byte[] aes256(String base64, String name) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(name + " must be base64 of 32 bytes (AES-256)");
        }
        if (key.length != 32) {
            throw new IllegalStateException(name + " must be base64 of 32 bytes (AES-256)");
        }
        return key;
    }

    private static byte[] devKey(Path file) throws IOException {
        if (Files.exists(file)) {
            log.warn("No CAREBUS_JOURNAL_KEY in the environment: journal content is encrypted with the development "
                    + "key in {}. Set CAREBUS_JOURNAL_KEY (base64 of 32 random bytes) in any real deployment.", file);
            return Base64.getDecoder().decode(Files.readString(file).trim());
        }
        log.warn("No CAREBUS_JOURNAL_KEY in the environment: generated a development key in {}. "
                + "Set CAREBUS_JOURNAL_KEY (base64 of 32 random bytes) in any real deployment.", file);
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        Files.createDirectories(file.getParent());
        writeOwnerOnly(file, Base64.getEncoder().encodeToString(key));
        return key;
    }

    /**
     * Writes {@code text} to {@code file}, readable by its owner alone from the moment it exists: a temporary file
     * created rw------- (where the file system is POSIX), written, then renamed; the key file is never there in part.
     */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path dir = file.getParent();
        FileAttribute<?>[] ownerOnly = dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        Path partial = Files.createTempFile(dir, file.getFileName().toString(), ".part", ownerOnly);
        try {
            Files.writeString(partial, text, StandardCharsets.US_ASCII);
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    private static byte[] derive(byte[] key, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(label.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
