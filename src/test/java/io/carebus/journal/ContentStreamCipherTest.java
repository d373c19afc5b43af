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
        byte[] cut = Arrays.copyOf(sealed, ContentStreamCipher.HEADER_BYTES + 2 * chunk);
        assertThatThrownBy(() -> decrypt(cut)).isInstanceOf(JournalContentException.class);
    }

    @Test
    void aFileWithItsChunksSwappedIsRefused() throws IOException {
        byte[] sealed = encrypt(random(3 * ContentStreamCipher.CHUNK_BYTES));
        int chunk = 4 + 12 + ContentStreamCipher.CHUNK_BYTES + 16;
        byte[] swapped = sealed.clone();
        int first = ContentStreamCipher.HEADER_BYTES;
        System.arraycopy(sealed, first, swapped, first + chunk, chunk);
        System.arraycopy(sealed, first + chunk, swapped, first, chunk);
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

    @Test
    void aFileSealedBeforeARotationIsReadWithThePreviousKey() throws IOException {
        byte[] plain = random(2 * ContentStreamCipher.CHUNK_BYTES + 5);
        byte[] sealedWithOldKey = encrypt(plain);
        ContentStreamCipher rotated = new ContentStreamCipher(new ContentKeyRing(ContentCipherTest.key(7),
                java.util.List.of(ContentCipherTest.key(8), new byte[32])));

        try (InputStream in = rotated.decrypting(new ByteArrayInputStream(sealedWithOldKey))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
    }

    @Test
    void aFileWrittenBeforeKeysHadIdsIsReadWithAPreviousKey() throws IOException {
        byte[] plain = random(2 * ContentStreamCipher.CHUNK_BYTES + 5);
        byte[] sealed = encrypt(plain);
        byte[] withoutKeyId = new byte[sealed.length - ContentKeyRing.ID_BYTES];   // format byte 2, then the chunks
        withoutKeyId[0] = 2;
        System.arraycopy(sealed, ContentStreamCipher.HEADER_BYTES, withoutKeyId, 1, withoutKeyId.length - 1);
        ContentStreamCipher rotated = new ContentStreamCipher(new ContentKeyRing(ContentCipherTest.key(7),
                java.util.List.of(new byte[32])));

        try (InputStream in = rotated.decrypting(new ByteArrayInputStream(withoutKeyId))) {
            assertThat(in.readAllBytes()).isEqualTo(plain);
        }
        assertThatThrownBy(() -> new ContentStreamCipher(ContentCipherTest.key(7))
                .decrypting(new ByteArrayInputStream(withoutKeyId))).isInstanceOf(JournalContentKeyException.class)
                .hasMessageContaining("CAREBUS_JOURNAL_PREVIOUS_KEYS");
    }

    @Test
    void aFileNoConfiguredKeyOpensIsRefusedWhenOpenedNamingItsKey() throws IOException {
        byte[] sealed = encrypt(random(1000));
        assertThatThrownBy(() -> new ContentStreamCipher(ContentCipherTest.key(7))
                .decrypting(new ByteArrayInputStream(sealed))).isInstanceOf(JournalContentKeyException.class)
                .hasMessageContaining(ContentKeyRing.of(new byte[32]).ids().get(0));
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
