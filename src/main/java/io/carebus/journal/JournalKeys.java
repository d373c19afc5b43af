package io.carebus.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import io.carebus.config.CarebusProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's two secrets: the AES-256 key for content at rest and the HMAC key for patient identifiers.
 * Both come from the environment (CAREBUS_JOURNAL_KEY, CAREBUS_PATIENT_KEY); without them a development key is
 * generated once under the data directory, and every start that uses it warns (the file's path, never the key).
 */
public final class JournalKeys {

    private static final Logger log = LoggerFactory.getLogger(JournalKeys.class);

    private final byte[] contentKey;
    private final byte[] patientKey;

    public JournalKeys(byte[] contentKey, byte[] patientKey) {
        this.contentKey = contentKey;
        this.patientKey = patientKey;
    }

    public static JournalKeys from(CarebusProperties properties) throws IOException {
        String configured = properties.getJournal().getContentKey();
        byte[] content;
        if (configured != null && !configured.isBlank()) {
            content = Base64.getDecoder().decode(configured.trim());
        } else {
            content = devKey(properties.getDataDir().resolve("journal-dev.key"));
        }
        if (content.length != 32) {
            throw new IllegalStateException("carebus.journal.content-key must be base64 of 32 bytes (AES-256)");
        }
        String patient = properties.getJournal().getPatientKey();
        byte[] patientKey = patient != null && !patient.isBlank()
                ? Base64.getDecoder().decode(patient.trim())
                : derive(content, "carebus-patient-key");
        return new JournalKeys(content, patientKey);
    }

    public byte[] contentKey() { return contentKey.clone(); }
    public byte[] patientKey() { return patientKey.clone(); }

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
        Files.writeString(file, Base64.getEncoder().encodeToString(key), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return key;
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
