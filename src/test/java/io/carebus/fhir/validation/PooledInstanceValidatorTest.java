package io.carebus.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;

/**
 * The pool of core validators: a validator is reused for a bounded number of resources (HAPI's core validator keeps
 * every coding it has seen, with its element tree) and then replaced, and neither reuse nor replacement changes an
 * answer.
 */
class PooledInstanceValidatorTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();

    @Test
    void aValidatorIsRetiredAfterItsUsesAndAnswersStayTheSame() {
        PooledInstanceValidator module = new PooledInstanceValidator(new ValidationSupportChain(
                new DefaultProfileValidationSupport(CTX), new CommonCodeSystemsTerminologyService(CTX),
                new InMemoryTerminologyServerValidationSupport(CTX), new SnapshotGeneratingValidationSupport(CTX)), 3);
        FhirValidator validator = CTX.newValidator().registerValidatorModule(module);

        long invalidErrors = errors(validator, invalid());
        assertThat(invalidErrors).isPositive();
        for (int i = 0; i < 9; i++) {
            // every other resource is invalid: its errors must not stay behind for the next one
            assertThat(errors(validator, i % 2 == 0 ? valid(i) : invalid())).as("resource %d", i)
                    .isEqualTo(i % 2 == 0 ? 0 : invalidErrors);
        }
        // 10 resources, 3 per validator: 3 retired, a fourth with one use waits in the pool
        assertThat(module.built()).isEqualTo(4);
        assertThat(module.pooled()).isEqualTo(1);
    }

    private static Patient valid(int i) {
        Patient patient = new Patient();
        patient.addName().setFamily("Valid" + i).addGiven("Pat");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        return patient;
    }

    /** A contact with neither name, telecom, address nor organization (FHIR R4 invariant pat-1). */
    private static Patient invalid() {
        Patient patient = new Patient();
        patient.addName().setFamily("Invalid");
        patient.addContact().setGender(Enumerations.AdministrativeGender.MALE);
        return patient;
    }

    private static long errors(FhirValidator validator, Patient patient) {
        return validator.validateWithResult(patient).getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).count();
    }
}
