package io.carebus.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The write validator's modes and type selection, on the validator alone (no engine). */
class UsCoreWriteValidatorModeTest {

    private static UsCoreValidator validator;

    @BeforeAll
    static void build() {
        validator = new UsCoreValidator(FhirContext.forR4Cached());
    }

    private static UsCoreWriteValidator writeValidator(UsCoreValidationProperties.Mode mode, String... types) {
        UsCoreValidationProperties properties = new UsCoreValidationProperties();
        properties.setMode(mode);
        properties.setResourceTypes(List.of(types));
        return new UsCoreWriteValidator(validator, properties);
    }

    /** Valid FHIR R4, declares no profile, and has none of US Core's must-haves. */
    private static Patient plainPatient() {
        Patient patient = new Patient();
        patient.addName().setText("Plain");
        return patient;
    }

    @Test
    void declaredModeTakesAPatientDeclaringNoProfile() {
        assertThatCode(() -> writeValidator(UsCoreValidationProperties.Mode.DECLARED, "Patient").check(plainPatient()))
                .doesNotThrowAnyException();
    }

    @Test
    void usCoreModeHoldsEveryPatientToUsCorePatient() {
        assertThatThrownBy(() -> writeValidator(UsCoreValidationProperties.Mode.US_CORE, "Patient").check(plainPatient()))
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssue()).anySatisfy(issue -> {
                        assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Patient.identifier");
                        assertThat(issue.getDiagnostics()).contains(UsCoreSamples.PATIENT);
                    });
                    assertThat(outcome.getIssue()).anySatisfy(issue ->
                            assertThat(issue.getExpression().get(0).getValue()).isEqualTo("Patient.gender"));
                });
    }

    @Test
    void usCoreModeTakesAValidUsCorePatientAndObservation() {
        Random random = new Random(7);
        UsCoreWriteValidator write = writeValidator(UsCoreValidationProperties.Mode.US_CORE, "Patient", "Observation");
        for (int i = 0; i < 10; i++) {
            write.check(UsCoreSamples.patient(random));
            write.check(UsCoreSamples.observation(random, "Patient/p" + i));
        }
    }

    @Test
    void aTypeNotConfiguredIsNotValidated() {
        assertThatCode(() -> writeValidator(UsCoreValidationProperties.Mode.US_CORE, "Observation")
                .check(plainPatient())).doesNotThrowAnyException();
    }

    @Test
    void usCoreHasProfilesForTheTypesTheEngineWrites() {
        assertThat(validator.profilesFor("Patient")).containsExactly(UsCoreSamples.PATIENT);
        assertThat(validator.profilesFor("Observation")).contains(UsCoreSamples.OBSERVATION_LAB,
                UsCoreSamples.HEART_RATE, UsCoreSamples.BODY_WEIGHT);
        assertThat(validator.profilesFor("Basic")).isEmpty();
    }
}
