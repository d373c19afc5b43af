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
 * The pool of core validators: HAPI's core validator keeps every coding it has seen, with its element tree, so after
 * each resource its codings observer is emptied and the validator reused; where that cannot be done, a validator is
 * reused for a bounded number of resources and then replaced. Neither reuse nor replacement changes an answer.
 */
class PooledInstanceValidatorTest {

    private static final FhirContext CTX = FhirContext.forR4Cached();

    @Test
    void oneValidatorServesEveryResourceAndKeepsNoCodings() {
        assertThat(InstanceValidatorReset.available()).as("the core validator's fields are where this expects").isTrue();
        PooledInstanceValidator module = new PooledInstanceValidator(support(), 3);
        FhirValidator validator = CTX.newValidator().registerValidatorModule(module);

        tenAlternatelyValidAndInvalid(validator);
        assertThat(module.built()).isEqualTo(1);
        assertThat(module.pooled()).isEqualTo(1);
        assertThat(module.codingsHeld()).isZero();
    }

    @Test
    void withoutTheResetAValidatorIsRetiredAfterItsUses() {
        PooledInstanceValidator module = new PooledInstanceValidator(support(), 3, false);
        FhirValidator validator = CTX.newValidator().registerValidatorModule(module);

        tenAlternatelyValidAndInvalid(validator);
        // 10 resources, 3 per validator: 3 retired, a fourth with one use waits in the pool, holding codings
        assertThat(module.built()).isEqualTo(4);
        assertThat(module.pooled()).isEqualTo(1);
        assertThat(module.codingsHeld()).isPositive();
    }

    private static void tenAlternatelyValidAndInvalid(FhirValidator validator) {
        long invalidErrors = errors(validator, invalid());
        assertThat(invalidErrors).isPositive();
        for (int i = 0; i < 9; i++) {
            // every other resource is invalid: its errors must not stay behind for the next one
            assertThat(errors(validator, i % 2 == 0 ? valid(i) : invalid())).as("resource %d", i)
                    .isEqualTo(i % 2 == 0 ? 0 : invalidErrors);
        }
    }

    private static ValidationSupportChain support() {
        return new ValidationSupportChain(new DefaultProfileValidationSupport(CTX),
                new CommonCodeSystemsTerminologyService(CTX), new InMemoryTerminologyServerValidationSupport(CTX),
                new SnapshotGeneratingValidationSupport(CTX));
    }

    private static Patient valid(int i) {
        Patient patient = new Patient();
        patient.addName().setFamily("Valid" + i).addGiven("Pat");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.getMaritalStatus().addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v3-MaritalStatus").setCode("M");
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
