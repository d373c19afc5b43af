package io.carebus.journal;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.List;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for content too large to hold in memory, with the journal's content key. The plain text is cut in
 * chunks of {@value #CHUNK_BYTES} bytes, each sealed on its own with a fresh random nonce; its index and whether it
 * is the last one are authenticated with it (additional data), so chunks cannot be reordered, dropped or cut off.
 * Layout: format byte (4), the id of the key (4, see {@link ContentKeyRing}), then per chunk: ciphertext length
 * (4), 12-byte nonce, ciphertext with the 16-byte tag. Files written before keys had ids (format byte 2, no key id)
 * are still read: each configured key is tried on the first chunk, the current one first.
 */
public class ContentStreamCipher {

    static final int CHUNK_BYTES = 64 * 1024;
    private static final byte FORMAT_CHUNKED = 2;
    /** 3 is the keyed format of {@link ContentCipher}. */
    private static final byte FORMAT_CHUNKED_KEYED = 4;
    static final int HEADER_BYTES = 1 + ContentKeyRing.ID_BYTES;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;

    private final ContentKeyRing keys;
    private final SecureRandom random = new SecureRandom();

    public ContentStreamCipher(byte[] key) {
        this(ContentKeyRing.of(key));
    }

    public ContentStreamCipher(ContentKeyRing keys) {
        this.keys = keys;
    }

    /** Encrypts all of {@code plain} to {@code sealed}; neither is closed. */
    public void encrypt(InputStream plain, OutputStream sealed) throws IOException {
        ContentKeyRing.Key key = keys.current();
        sealed.write(FORMAT_CHUNKED_KEYED);
        sealed.write(key.id());
        byte[] current = new byte[CHUNK_BYTES];
        byte[] next = new byte[CHUNK_BYTES];
        int currentLength = plain.readNBytes(current, 0, CHUNK_BYTES);
        long index = 0;
        while (true) {
            int nextLength = currentLength < CHUNK_BYTES ? 0 : plain.readNBytes(next, 0, CHUNK_BYTES);
            boolean last = nextLength == 0;
            writeChunk(sealed, key.spec(), current, currentLength, index++, last);
            if (last) {
                return;
            }
            byte[] swap = current;
            current = next;
            next = swap;
            currentLength = nextLength;
        }
    }

    /**
     * The plain text of what {@link #encrypt} wrote, decrypted chunk by chunk as it is read. The first chunk is
     * opened at once: content that no configured key opens is refused here, before anything is read.
     */
    public InputStream decrypting(InputStream sealed) throws IOException {
        int format = sealed.read();
        List<ContentKeyRing.Key> candidates;
        if (format == FORMAT_CHUNKED_KEYED) {
            byte[] header = new byte[HEADER_BYTES];
            if (sealed.readNBytes(header, 1, ContentKeyRing.ID_BYTES) < ContentKeyRing.ID_BYTES) {
                throw new JournalContentException("Journal content file is cut off before its first chunk");
            }
            candidates = keys.withId(header, 1);
            if (candidates.isEmpty()) {
                throw new JournalContentKeyException("Journal content file is encrypted with key "
                        + ContentKeyRing.hex(header, 1) + ", which is not configured ("
                        + JournalContentKeyException.KEYS + ")");
            }
        } else if (format == FORMAT_CHUNKED) {
            candidates = keys.all();
        } else {
            throw new JournalContentException("Unknown journal content file format");
        }
        Decrypting plain = new Decrypting(new DataInputStream(new java.io.BufferedInputStream(sealed)), candidates);
        plain.nextChunk();
        return plain;
    }

    private void writeChunk(OutputStream out, SecretKeySpec key, byte[] plain, int length, long index, boolean last)
            throws IOException {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(additionalData(index, last));
            byte[] sealed = cipher.doFinal(plain, 0, length);
            out.write(ByteBuffer.allocate(4).putInt(sealed.length).array());
            out.write(nonce);
            out.write(sealed);
        } catch (GeneralSecurityException e) {
            throw new JournalContentException("Content encryption failed", e);
        }
    }

    private static byte[] additionalData(long index, boolean last) {
        return ByteBuffer.allocate(9).putLong(index).put((byte) (last ? 1 : 0)).array();
    }

    /** Reads chunk after chunk; a chunk that does not authenticate, or a missing last chunk, is an error. */
    private final class Decrypting extends InputStream {
        private final DataInputStream in;
        /** The keys that may have sealed the file, until the first chunk is opened; then the one that did. */
        private List<ContentKeyRing.Key> candidates;
        private byte[] plain = new byte[0];
        private int position;
        private long index;
        private boolean lastSeen;

        Decrypting(DataInputStream in, List<ContentKeyRing.Key> candidates) {
            this.in = in;
            this.candidates = candidates;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (position == plain.length) {
                if (lastSeen || !nextChunk()) {
                    return -1;
                }
            }
            int n = Math.min(len, plain.length - position);
            System.arraycopy(plain, position, b, off, n);
            position += n;
            return n;
        }

        private boolean nextChunk() throws IOException {
            int length;
            try {
                length = in.readInt();
            } catch (EOFException end) {
                throw new JournalContentException("Journal content file is cut off before its last chunk");
            }
            if (length < TAG_BYTES || length > CHUNK_BYTES + TAG_BYTES) {
                throw new JournalContentException("Journal content file has a malformed chunk");
            }
            byte[] nonce = new byte[NONCE_BYTES];
            in.readFully(nonce);
            byte[] sealed = new byte[length];
            in.readFully(sealed);
            boolean last = peekEnd();
            plain = open(nonce, sealed, last);
            position = 0;
            index++;
            lastSeen = last;
            return true;
        }

        private boolean peekEnd() throws IOException {
            in.mark(1);
            boolean end = in.read() < 0;
            in.reset();
            return end;
        }

        private byte[] open(byte[] nonce, byte[] sealed, boolean last) {
            try {
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                for (ContentKeyRing.Key key : candidates) {
                    cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
                    cipher.updateAAD(additionalData(index, last));
                    try {
                        byte[] opened = cipher.doFinal(sealed);
                        candidates = List.of(key);
                        return opened;
                    } catch (AEADBadTagException notThisKey) {
                        // NIST SP 800-38D §5.2.2: a failed tag says only "not authentic"; try the next key
                    }
                }
            } catch (GeneralSecurityException e) {
                throw new JournalContentException("Journal content file cannot be decrypted", e);
            }
            throw new JournalContentKeyException(index == 0
                    ? "Journal content file cannot be decrypted with any configured key ("
                            + JournalContentKeyException.KEYS + "), or it was altered"
                    : "Journal content file was altered (chunk " + index + " does not authenticate)");
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
