package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import io.carebus.x12.fhir.Fhir;
import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.fhir.X12ToFhir;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.tree.X12Transaction;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.CoverageEligibilityResponse;
import org.hl7.fhir.r4.model.ExplanationOfBenefit;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.PaymentReconciliation;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Inbound X12 to FHIR R4: 835, 271, 277, 834; every bundle passes the HAPI FHIR R4 instance validator. */
class X12ToFhirTest {

    static FhirValidator validator;
    final X12Service x12 = new X12Service(SchemaRegistry.standard());
    final X12ToFhir toFhir = new X12ToFhir();

    @BeforeAll
    static void fhirValidator() {
        ca.uhn.fhir.context.FhirContext ctx = Fhir.context();
        ValidationSupportChain chain = new ValidationSupportChain(new ca.uhn.fhir.context.support.DefaultProfileValidationSupport(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx), new CommonCodeSystemsTerminologyService(ctx));
        validator = ctx.newValidator();
        FhirInstanceValidator instance = new FhirInstanceValidator(chain);
        instance.setNoTerminologyChecks(false);
        validator.registerValidatorModule(instance);
    }

    static Stream<Path> inbound() throws IOException {
        return X12CorpusTest.corpus().filter(p -> {
            String dir = p.getParent().getFileName().toString();
            return dir.startsWith("835") || dir.startsWith("271") || dir.startsWith("277") || dir.startsWith("834");
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inbound")
    void mapsToValidFhir(Path file) throws IOException {
        for (X12Transaction t : read(file)) {
            Bundle bundle = toFhir.bundle(t);
            assertThat(bundle.getEntry()).isNotEmpty();
            assertValid(bundle);
        }
    }

    @Test
    void remittanceBecomesExplanationsOfBenefitAndAPaymentReconciliation() throws IOException {
        X12Transaction t = read(X12CorpusTest.CORPUS.resolve("835_005010X221A1/managed-care.835")).get(0);
        Bundle bundle = toFhir.bundle(t);
        List<ExplanationOfBenefit> eobs = resources(bundle, ExplanationOfBenefit.class);
        assertThat(eobs).hasSize(2);
        ExplanationOfBenefit first = eobs.get(0);
        // CLP01 patient control number, CLP03 charge, CLP04 paid
        assertThat(first.getIdentifierFirstRep().getValue()).isEqualTo("5554555444");
        assertThat(first.getTotal()).extracting(tot -> tot.getAmount().getValue())
                .contains(new BigDecimal("800.00"), new BigDecimal("450.00"));
        // CAS*CO*A2*50.00 at the claim level: group CO, reason A2
        assertThat(first.getAdjudicationFirstRep().getCategory().getCodingFirstRep().getCode()).isEqualTo("CO");
        assertThat(first.getAdjudicationFirstRep().getReason().getCodingFirstRep().getCode()).isEqualTo("A2");
        assertThat(first.getAdjudicationFirstRep().getReason().getCodingFirstRep().getSystem()).isEqualTo(X12Codes.CARC);
        // SVC*HC:99211 with CAS*PR*1*300.00 on the line
        assertThat(first.getItemFirstRep().getProductOrService().getCodingFirstRep().getCode()).isEqualTo("99211");
        assertThat(first.getItemFirstRep().getAdjudication()).anySatisfy(a -> {
            assertThat(a.getCategory().getCodingFirstRep().getCode()).isEqualTo("PR");
            assertThat(a.getAmount().getValue()).isEqualByComparingTo("300.00");
        });
        PaymentReconciliation payment = resources(bundle, PaymentReconciliation.class).get(0);
        assertThat(payment.getPaymentAmount().getValue()).isEqualByComparingTo("945.00");
        assertThat(payment.getIdentifierFirstRep().getValue()).isEqualTo("7170066655"); // TRN02
        assertThat(payment.getDetail()).hasSize(2);
        // one posting event per claim
        assertThat(toFhir.remittance().claimPayments(t)).hasSize(2)
                .allSatisfy(b -> assertThat(resources(b, ExplanationOfBenefit.class)).hasSize(1));
    }

    @Test
    void providerAdjustmentsAreNegativePaymentDetails() throws IOException {
        X12Transaction t = read(X12CorpusTest.CORPUS.resolve("835_005010X221A1/medicare-part-a.835")).get(0);
        PaymentReconciliation payment = resources(toFhir.bundle(t), PaymentReconciliation.class).get(0);
        // PLB*...*CV:CP*-1.27: a negative adjustment adds 1.27 to the payment
        assertThat(payment.getDetail()).anySatisfy(d ->
                assertThat(d.getAmount().getValue()).isEqualByComparingTo("1.27"));
    }

    @Test
    void eligibilityResponseCarriesBenefitsAndRequestErrors() throws IOException {
        X12Transaction ok = read(X12CorpusTest.CORPUS.resolve(
                "271_005010X279A1/subscriber-health-benefit-check.271")).get(0);
        CoverageEligibilityResponse r = resources(toFhir.bundle(ok), CoverageEligibilityResponse.class).get(0);
        assertThat(r.getInsuranceFirstRep().getItem()).isNotEmpty();
        assertThat(r.getInsuranceFirstRep().getInforce()).isTrue();
        assertThat(r.getOutcome().toCode()).isEqualTo("complete");

        X12Transaction error = read(X12CorpusTest.CORPUS.resolve(
                "271_005010X279A1/subscriber-health-benefit-check-error.271")).get(0);
        CoverageEligibilityResponse e = resources(toFhir.bundle(error), CoverageEligibilityResponse.class).get(0);
        assertThat(e.getError()).isNotEmpty();
        assertThat(e.getOutcome().toCode()).isEqualTo("error");
    }

    @Test
    void claimStatusBecomesAClaimResponsePerClaim() throws IOException {
        X12Transaction t = read(X12CorpusTest.CORPUS.resolve("277_005010X212/claim-level-status.277")).get(0);
        List<ClaimResponse> responses = resources(toFhir.bundle(t), ClaimResponse.class);
        assertThat(responses).isNotEmpty();
        assertThat(responses).allSatisfy(r -> assertThat(r.getDisposition()).isNotEmpty());
    }

    @Test
    void enrollmentBecomesPatientsAndCoverages() throws IOException {
        X12Transaction t = read(X12CorpusTest.CORPUS.resolve("834_005010X220A1/add-dependent.834")).get(0);
        Bundle bundle = toFhir.bundle(t);
        assertThat(resources(bundle, Patient.class)).isNotEmpty();
        assertThat(resources(bundle, Coverage.class)).isNotEmpty()
                .allSatisfy(c -> assertThat(c.getBeneficiary().getReference()).startsWith("urn:uuid:"));
    }

    static final String SERVICES_REVIEW_RESPONSE = "ISA*00*          *00*          *ZZ*UMO            *ZZ*CAREBUS        "
            + "*261125*1200*^*00501*000000301*0*T*:~GS*HI*UMO*CAREBUS*20261125*1200*301*X*005010X217~"
            + "ST*278*0001*005010X217~BHT*0007*11*PA-77*20261125*1200~HL*1**20*1~NM1*X3*2*ACME HEALTH*****PI*60054~"
            + "HL*2*1*21*1~NM1*1P*2*SPRINGFIELD CLINIC*****XX*1234567893~HL*3*2*22*1~"
            + "NM1*IL*1*DOE*JANE****MI*MEM123456~HL*4*3*EV*1~TRN*2*PA-77*1999999999~UM*HS*I*1*11:B~"
            + "HCR*A1*AUTH12345~HL*5*4*SS*0~TRN*2*PA-77-1*1999999999~UM*HS*I~HCR*A1*AUTH12345~"
            + "SV1*HC:99213*100*UN*1~SE*18*0001~GE*1*301~IEA*1*000000301~";

    @Test
    void servicesReviewResponseBecomesAPreauthorizationClaimResponse() {
        List<X12Transaction> transactions = x12.readAll(new java.io.ByteArrayInputStream(
                SERVICES_REVIEW_RESPONSE.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
        X12Transaction t = transactions.get(0);
        assertThat(t.result().errors()).isEmpty();
        assertThat(t.result().ackCode()).isEqualTo("A");
        Bundle bundle = toFhir.bundle(t);
        assertValid(bundle);
        ClaimResponse r = resources(bundle, ClaimResponse.class).get(0);
        assertThat(r.getUse()).isEqualTo(ClaimResponse.Use.PREAUTHORIZATION);
        assertThat(r.getPreAuthRef()).isEqualTo("AUTH12345");
        assertThat(r.getOutcome()).isEqualTo(ClaimResponse.RemittanceOutcome.COMPLETE);
        assertThat(r.getItem()).hasSize(1);
    }

    List<X12Transaction> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return x12.readAll(in);
        }
    }

    static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }

    static void assertValid(Bundle bundle) {
        ValidationResult result = validator.validateWithResult(bundle);
        List<String> errors = result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .map(SingleValidationMessage::toString).toList();
        assertThat(errors).as(Fhir.json(bundle)).isEmpty();
    }
}
