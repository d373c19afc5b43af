package io.carebus.journal;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM for message content at rest. Layout: format byte (3), the id of the key (4, see
 * {@link ContentKeyRing}), 12-byte random nonce, ciphertext with the 16-byte tag. Content written before keys had
 * ids (format byte 1, no key id) is still read: each configured key is tried, the current one first.
 */
public class ContentCipher {

    private static final byte FORMAT_V1 = 1;
    /** 2 is the chunked file format of {@link ContentStreamCipher}. */
    private static final byte FORMAT_KEYED = 3;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int KEYED_HEADER = 1 + ContentKeyRing.ID_BYTES;

    private final ContentKeyRing keys;
    private final ThreadLocal<Cipher> ciphers = ThreadLocal.withInitial(ContentCipher::newCipher);
    private final ThreadLocal<SecureRandom> randoms = ThreadLocal.withInitial(SecureRandom::new);

    public ContentCipher(byte[] key) {
        this(ContentKeyRing.of(key));
    }

    public ContentCipher(ContentKeyRing keys) {
        this.keys = keys;
    }

    public byte[] encrypt(byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        randoms.get().nextBytes(nonce);
        ContentKeyRing.Key key = keys.current();
        try {
            Cipher cipher = ciphers.get();
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            // byte[] in and out: the JDK's GCM takes its intrinsic path; heap ByteBuffers went through a slower copy
            byte[] out = new byte[KEYED_HEADER + NONCE_BYTES + cipher.getOutputSize(plain.length)];
            out[0] = FORMAT_KEYED;
            System.arraycopy(key.id(), 0, out, 1, ContentKeyRing.ID_BYTES);
            System.arraycopy(nonce, 0, out, KEYED_HEADER, NONCE_BYTES);
            cipher.doFinal(plain, 0, plain.length, out, KEYED_HEADER + NONCE_BYTES);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Content encryption failed", e);
        }
    }

    public byte[] decrypt(byte[] stored) {
        if (stored.length >= KEYED_HEADER + NONCE_BYTES && stored[0] == FORMAT_KEYED) {
            var candidates = keys.withId(stored, 1);
            if (candidates.isEmpty()) {
                throw new JournalContentKeyException("Journal content is encrypted with key "
                        + ContentKeyRing.hex(stored, 1) + ", which is not configured ("
                        + JournalContentKeyException.KEYS + ")");
            }
            return open(stored, KEYED_HEADER, candidates);
        }
        if (stored.length >= 1 + NONCE_BYTES && stored[0] == FORMAT_V1) {
            return open(stored, 1, keys.all());
        }
        throw new JournalContentException("Unknown journal content format");
    }

    /** The first of {@code candidates} that authenticates the content whose nonce starts at {@code offset}. */
    private byte[] open(byte[] stored, int offset, Iterable<ContentKeyRing.Key> candidates) {
        Cipher cipher = ciphers.get();
        int sealed = offset + NONCE_BYTES;
        try {
            for (ContentKeyRing.Key key : candidates) {
                cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, stored, offset, NONCE_BYTES));
                try {
                    return cipher.doFinal(stored, sealed, stored.length - sealed);
                } catch (AEADBadTagException notThisKey) {
                    // NIST SP 800-38D §5.2.2: a failed tag says only "not authentic"; try the next key
                }
            }
        } catch (GeneralSecurityException e) {
            throw new JournalContentException("Journal content cannot be decrypted", e);
        }
        throw new JournalContentKeyException("Journal content cannot be decrypted with any configured key ("
                + JournalContentKeyException.KEYS + "), or it was altered");
    }

    private static Cipher newCipher() {
        try {
            return Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
