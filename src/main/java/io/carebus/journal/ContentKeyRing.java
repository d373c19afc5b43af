package io.carebus.journal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.spec.SecretKeySpec;

/**
 * The journal's content keys: the current one encrypts, the current and every previous one decrypt. Each key is
 * known by a short id (the first {@value #ID_BYTES} bytes of a SHA-256 over a label and the key), written with
 * what it sealed so the right key is found after a rotation. The id says which key, never the key.
 */
public final class ContentKeyRing {

    static final int ID_BYTES = 4;
    private static final byte[] ID_LABEL = "carebus-journal-key-id:".getBytes(StandardCharsets.US_ASCII);

    /** One AES-256 key and its id. */
    record Key(SecretKeySpec spec, byte[] id) {
        boolean hasId(byte[] stored, int offset) {
            return Arrays.equals(id, 0, ID_BYTES, stored, offset, offset + ID_BYTES);
        }
    }

    private final Key current;
    private final List<Key> all;

    /** {@code current} encrypts; {@code previous} only decrypt, tried in the order given after the current one. */
    public ContentKeyRing(byte[] current, List<byte[]> previous) {
        this.current = key(current);
        List<Key> keys = new ArrayList<>();
        keys.add(this.current);
        for (byte[] old : previous) {
            Key key = key(old);
            if (keys.stream().noneMatch(k -> Arrays.equals(k.id(), key.id()) && k.spec().equals(key.spec()))) {
                keys.add(key);
            }
        }
        this.all = List.copyOf(keys);
    }

    public static ContentKeyRing of(byte[] current) {
        return new ContentKeyRing(current, List.of());
    }

    Key current() {
        return current;
    }

    /** Every key, the current one first. */
    List<Key> all() {
        return all;
    }

    /** The keys whose id is the {@value #ID_BYTES} bytes of {@code stored} at {@code offset} (one, but for a clash). */
    List<Key> withId(byte[] stored, int offset) {
        return all.stream().filter(k -> k.hasId(stored, offset)).toList();
    }

    /** The id of the current key, then of each previous one, in hex: what the start-up log names. */
    public List<String> ids() {
        return all.stream().map(k -> hex(k.id(), 0)).toList();
    }

    static String hex(byte[] bytes, int offset) {
        return HexFormat.of().formatHex(bytes, offset, offset + ID_BYTES);
    }

    private static Key key(byte[] raw) {
        if (raw.length != 32) {
            throw new IllegalArgumentException("A journal content key is 32 bytes (AES-256)");
        }
        return new Key(new SecretKeySpec(raw, "AES"), idOf(raw));
    }

    private static byte[] idOf(byte[] raw) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(ID_LABEL);
            return Arrays.copyOf(sha256.digest(raw), ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
