package io.carebus.journal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash of the patient identifier (PID-3.1 with its assigning authority PID-3.4): lets the journal be
 * searched and messages be grouped per patient without storing or logging the identifier.
 */
public class PatientKeyHasher {

    private final SecretKeySpec key;
    private final ThreadLocal<Mac> macs;

    public PatientKeyHasher(byte[] key) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** Empty when there is no identifier. */
    public String hash(String identifier, String authority) {
        if (identifier == null || identifier.isBlank()) {
            return "";
        }
        Mac mac = macs.get();
        mac.update(identifier.trim().getBytes(StandardCharsets.UTF_8));
        mac.update((byte) '|');
        byte[] digest = mac.doFinal((authority == null ? "" : authority.trim()).getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 18));
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
