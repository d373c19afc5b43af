package io.carebus.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import io.carebus.config.CarebusProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotating the journal's content key: older content stays readable and patient keys do not change. */
class JournalKeyRotationTest {

    @TempDir
    Path data;

    static final String OLD = Base64.getEncoder().encodeToString(ContentCipherTest.key(1));
    static final String NEW = Base64.getEncoder().encodeToString(ContentCipherTest.key(2));
    static final String PATIENT = Base64.getEncoder().encodeToString(ContentCipherTest.key(3));

    @Test
    void afterARotationTheNewKeyEncryptsAndThePreviousKeysStillDecrypt() throws Exception {
        JournalKeys before = JournalKeys.from(properties(OLD, "", PATIENT));
        byte[] oldRow = new ContentCipher(before.contentKeys()).encrypt(ContentCipherTest.PLAIN);

        JournalKeys after = JournalKeys.from(properties(NEW, OLD, PATIENT));
        ContentCipher cipher = new ContentCipher(after.contentKeys());

        assertThat(cipher.decrypt(oldRow)).isEqualTo(ContentCipherTest.PLAIN);
        assertThat(new ContentCipher(ContentCipherTest.key(2)).decrypt(cipher.encrypt(ContentCipherTest.PLAIN)))
                .isEqualTo(ContentCipherTest.PLAIN);
        assertThat(after.contentKeys().ids()).hasSize(2);
        assertThat(new PatientKeyHasher(after.patientKey()).hash("MRN1", "HOSP"))
                .isEqualTo(new PatientKeyHasher(before.patientKey()).hash("MRN1", "HOSP"));
    }

    @Test
    void severalPreviousKeysAreCommaSeparatedInTheEnvironment() throws Exception {
        String older = Base64.getEncoder().encodeToString(ContentCipherTest.key(4));
        byte[] olderRow = new ContentCipher(ContentCipherTest.key(4)).encrypt(ContentCipherTest.PLAIN);
        // bound as the engine binds CAREBUS_JOURNAL_PREVIOUS_KEYS=<old>,<older> (config/application.yaml)
        CarebusProperties properties = new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(java.util.Map.of(
                        "carebus.data-dir", data.toString(),
                        "carebus.journal.content-key", NEW,
                        "carebus.journal.patient-key", PATIENT,
                        "carebus.journal.previous-content-keys", OLD + "," + older)))
                .bind("carebus", CarebusProperties.class).get();

        ContentCipher cipher = new ContentCipher(JournalKeys.from(properties).contentKeys());

        assertThat(cipher.decrypt(olderRow)).isEqualTo(ContentCipherTest.PLAIN);
    }

    @Test
    void previousKeysWithoutAnExplicitPatientKeyRefuseToStartSayingWhatToSet() {
        // the patient key would be derived from the new content key: every older row's patient key would differ
        assertThatThrownBy(() -> JournalKeys.from(properties(NEW, OLD, "")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CAREBUS_PATIENT_KEY").hasMessageContaining("CAREBUS_JOURNAL_PREVIOUS_KEYS");
    }

    @Test
    void aPreviousKeyThatIsNotAnAes256KeyIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> JournalKeys.from(properties(NEW, "c2hvcnQ=", PATIENT)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("CAREBUS_JOURNAL_PREVIOUS_KEYS").hasMessageNotContaining("c2hvcnQ=");
    }

    private CarebusProperties properties(String contentKey, String previousKeys, String patientKey) {
        CarebusProperties properties = new CarebusProperties();
        properties.setDataDir(data);
        properties.getJournal().setContentKey(contentKey);
        properties.getJournal().setPreviousContentKeys(previousKeys.isEmpty() ? List.of() : List.of(previousKeys));
        properties.getJournal().setPatientKey(patientKey);
        return properties;
    }
}
