package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

/** AES-GCM for journal rows across a key rotation: the current key encrypts, the previous ones still decrypt. */
class ContentCipherTest {

    static final byte[] OLD_KEY = key(1);
    static final byte[] NEW_KEY = key(2);
    static final byte[] PLAIN = "MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01|C1|P|2.5.1\r"
            .getBytes(StandardCharsets.US_ASCII);

    final ContentCipher rotated = new ContentCipher(new ContentKeyRing(NEW_KEY, List.of(OLD_KEY)));

    @Test
    void contentSealedBeforeARotationIsReadWithThePreviousKey() {
        byte[] sealedWithOldKey = new ContentCipher(OLD_KEY).encrypt(PLAIN);

        assertThat(rotated.decrypt(sealedWithOldKey)).isEqualTo(PLAIN);
        assertThat(rotated.decrypt(rotated.encrypt(PLAIN))).isEqualTo(PLAIN);
    }

    @Test
    void contentWrittenBeforeKeysHadIdsIsReadWithTheCurrentOrAPreviousKey() throws Exception {
        assertThat(rotated.decrypt(sealedWithoutKeyId(OLD_KEY, PLAIN))).isEqualTo(PLAIN);
        assertThat(rotated.decrypt(sealedWithoutKeyId(NEW_KEY, PLAIN))).isEqualTo(PLAIN);
        assertThat(new ContentCipher(OLD_KEY).decrypt(sealedWithoutKeyId(OLD_KEY, PLAIN))).isEqualTo(PLAIN);
    }

    @Test
    void newContentNamesItsKeyByIdAndTheCurrentKeyEncrypts() {
        byte[] sealed = rotated.encrypt(PLAIN);
        String currentId = new ContentKeyRing(NEW_KEY, List.of()).ids().get(0);

        assertThat(sealed[0]).isEqualTo((byte) 3);
        assertThat(ContentKeyRing.hex(sealed, 1)).isEqualTo(currentId);
        assertThat(new ContentCipher(NEW_KEY).decrypt(sealed)).isEqualTo(PLAIN);
        assertThatThrownBy(() -> new ContentCipher(OLD_KEY).decrypt(sealed))
                .isInstanceOf(JournalContentKeyException.class);
        for (byte[] key : List.of(NEW_KEY, OLD_KEY)) {   // the id is no part of the key
            assertThat(Arrays.equals(key, 0, ContentKeyRing.ID_BYTES, sealed, 1, 1 + ContentKeyRing.ID_BYTES)).isFalse();
        }
    }

    @Test
    void contentNoConfiguredKeyOpensIsRefusedNamingItsKeyAndTheSettings() throws Exception {
        byte[] retired = key(9);
        byte[] sealed = new ContentCipher(retired).encrypt(PLAIN);
        String retiredId = ContentKeyRing.of(retired).ids().get(0);

        assertThatThrownBy(() -> rotated.decrypt(sealed)).isInstanceOf(JournalContentKeyException.class)
                .hasMessageContaining(retiredId).hasMessageContaining("CAREBUS_JOURNAL_PREVIOUS_KEYS");
        assertThatThrownBy(() -> rotated.decrypt(sealedWithoutKeyId(retired, PLAIN)))
                .isInstanceOf(JournalContentKeyException.class).hasMessageContaining("CAREBUS_JOURNAL_PREVIOUS_KEYS");
    }

    @Test
    void alteredContentIsRefused() {
        byte[] sealed = rotated.encrypt(PLAIN);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> rotated.decrypt(sealed)).isInstanceOf(JournalContentKeyException.class);
        assertThatThrownBy(() -> rotated.decrypt(new byte[] {7, 1, 2})).isInstanceOf(JournalContentException.class);
    }

    /** The layout before keys had ids: format byte 1, 12-byte nonce, ciphertext with its tag. */
    static byte[] sealedWithoutKeyId(byte[] key, byte[] plain) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = cipher.doFinal(plain);
        byte[] out = new byte[1 + nonce.length + sealed.length];
        out[0] = 1;
        System.arraycopy(nonce, 0, out, 1, nonce.length);
        System.arraycopy(sealed, 0, out, 1 + nonce.length, sealed.length);
        return out;
    }

    static byte[] key(int seed) {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) seed);
        return key;
    }
}
