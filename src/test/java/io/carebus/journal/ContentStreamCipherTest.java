package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Chunked AES-GCM for large journal content: round trip, and altered, reordered or cut-off files refused. */
class ContentStreamCipherTest {

    final ContentStreamCipher cipher = new ContentStreamCipher(new byte[32]);

    @Test
    void whatIsEncryptedDecryptsToTheSameBytesWhateverItsSize() throws IOException {
        for (int size : new int[] {0, 1, ContentStreamCipher.CHUNK_BYTES - 1, ContentStreamCipher.CHUNK_BYTES,
                3 * ContentStreamCipher.CHUNK_BYTES + 17}) {
            byte[] plain = random(size);
            assertThat(decrypt(encrypt(plain))).as("%d bytes", size).isEqualTo(plain);
        }
    }

    @Test
    void anAlteredByteIsRefused() throws IOException {
        byte[] sealed = encrypt(random(100_000));
        sealed[sealed.length / 2] ^= 1;
        assertThatThrownBy(() -> decrypt(sealed)).isInstanceOf(JournalContentException.class);
    }

    @Test
    void aFileCutAfterAWholeChunkIsRefused() throws IOException {
        byte[] plain = random(3 * ContentStreamCipher.CHUNK_BYTES);
        byte[] sealed = encrypt(plain);
        int chunk = 4 + 12 + ContentStreamCipher.CHUNK_BYTES + 16;
        byte[] cut = Arrays.copyOf(sealed, 1 + 2 * chunk);
        assertThatThrownBy(() -> decrypt(cut)).isInstanceOf(JournalContentException.class);
    }

    @Test
    void aFileWithItsChunksSwappedIsRefused() throws IOException {
        byte[] sealed = encrypt(random(3 * ContentStreamCipher.CHUNK_BYTES));
        int chunk = 4 + 12 + ContentStreamCipher.CHUNK_BYTES + 16;
        byte[] swapped = sealed.clone();
        System.arraycopy(sealed, 1, swapped, 1 + chunk, chunk);
        System.arraycopy(sealed, 1 + chunk, swapped, 1, chunk);
        assertThatThrownBy(() -> decrypt(swapped)).isInstanceOf(JournalContentException.class);
    }

    @Test
    void anotherKeyCannotRead() throws IOException {
        byte[] sealed = encrypt(random(1000));
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new ContentStreamCipher(other).decrypting(new ByteArrayInputStream(sealed))
                .readAllBytes()).isInstanceOf(JournalContentException.class);
    }

    private byte[] encrypt(byte[] plain) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        cipher.encrypt(new ByteArrayInputStream(plain), out);
        return out.toByteArray();
    }

    private byte[] decrypt(byte[] sealed) throws IOException {
        try (InputStream in = cipher.decrypting(new ByteArrayInputStream(sealed))) {
            return in.readAllBytes();
        }
    }

    private static byte[] random(int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        return b;
    }
}
