package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Date;
import java.util.List;

import io.carebus.x12.fhir.X12Codes;
import io.carebus.x12.read.X12Delimiters;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.tree.X12Json;
import io.carebus.x12.tree.X12Transaction;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.write.ClaimStatusRequestWriter;
import io.carebus.x12.write.DentalClaimWriter;
import io.carebus.x12.write.InstitutionalClaimWriter;
import io.carebus.x12.write.EligibilityInquiryWriter;
import io.carebus.x12.write.InterchangeHeader;
import io.carebus.x12.write.Interchanges;
import io.carebus.x12.write.ProfessionalClaimWriter;
import io.carebus.x12.write.ServicesReviewRequestWriter;
import io.carebus.x12.write.Submitter;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Claim;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Coverage;
import org.hl7.fhir.r4.model.CoverageEligibilityRequest;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Money;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FHIR to X12 (837P, 270, 276): what Carebus writes passes the same schemas it checks inbound files with. */
class X12WriterTest {

    static final LocalDateTime NOW = LocalDateTime.of(2026, 11, 25, 12, 0);
    static final Submitter SUBMITTER = new Submitter("CAREBUS PMS", "CB0001", "BILLING OFFICE", "5555550100",
            "CLEARINGHOUSE", "CH0001");
    final X12Service x12 = new X12Service(SchemaRegistry.standard());

    @Test
    void professionalClaimFromFhirIsAValidBalanced837P() {
        String x12Text = Interchanges.write(header(), "HC", ProfessionalClaimWriter.VERSION, List.of(
                (w, control) -> new ProfessionalClaimWriter().write(claimBundle("self"), SUBMITTER, NOW, w, control)));
        X12Transaction t = readClean(x12Text);
        assertThat(t.root().descendants("2300").get(0).value("CLM", 1)).isEqualTo("PCN-1001");
        assertThat(t.root().descendants("2300").get(0).value("CLM", 2)).isEqualTo("140");
        assertThat(t.root().descendants("2400")).hasSize(2);
        assertThat(x12Text).contains("HI*ABK:J020*ABF:R509~", "SV1*HC:99213*100*UN*1***1:2~",
                "NM1*82*1*HOUSE*GREGORY****XX*1234567893~", "SBR*P*18*GRP-77******CI~");
    }

    @Test
    void dependentClaimHasAPatientLevel() {
        String x12Text = Interchanges.write(header(), "HC", ProfessionalClaimWriter.VERSION, List.of(
                (w, control) -> new ProfessionalClaimWriter().write(claimBundle("child"), SUBMITTER, NOW, w,
                        control)));
        X12Transaction t = readClean(x12Text);
        assertThat(t.root().descendants("2000C")).hasSize(1);
        assertThat(x12Text).contains("PAT*19~");
    }

    @Test
    void eligibilityInquiryFromFhirIsAValid270() {
        Bundle bundle = claimBundle("self");
        CoverageEligibilityRequest request = new CoverageEligibilityRequest();
        request.addIdentifier().setValue("ELIG-42");
        request.setStatus(CoverageEligibilityRequest.EligibilityRequestStatus.ACTIVE);
        request.addPurpose(CoverageEligibilityRequest.EligibilityRequestPurpose.BENEFITS);
        request.setPatient(new Reference("Patient/pat"));
        request.setInsurer(new Reference("Organization/payer"));
        request.setProvider(new Reference("Organization/billing"));
        request.setCreated(new Date());
        request.setServiced(new DateType("2026-11-20"));
        request.addInsurance().setCoverage(new Reference("Coverage/cov"));
        request.addItem().setCategory(new CodeableConcept(new Coding(X12Codes.SERVICE_TYPE, "98", null)));
        add(bundle, request, "elig");
        String x12Text = Interchanges.write(header(), "HS", EligibilityInquiryWriter.VERSION, List.of(
                (w, control) -> new EligibilityInquiryWriter().write(bundle, "1999999999", NOW, w, control)));
        X12Transaction t = readClean(x12Text);
        assertThat(x12Text).contains("EQ*98~", "DTP*291*D8*20261120~", "TRN*1*ELIG-42*1999999999~");
        assertThat(t.root().descendants("2110C")).hasSize(1);
    }

    @Test
    void claimStatusRequestFromFhirIsAValid276() {
        String x12Text = Interchanges.write(header(), "HR", ClaimStatusRequestWriter.VERSION, List.of(
                (w, control) -> new ClaimStatusRequestWriter().write(claimBundle("self"), SUBMITTER, NOW, w,
                        control)));
        readClean(x12Text);
        assertThat(x12Text).contains("REF*EJ*PCN-1001~", "AMT*T3*140~", "DTP*472*RD8*20261101-20261102~");
    }

    @Test
    void institutionalClaimFromFhirIsAValidBalanced837I() {
        String x12Text = Interchanges.write(header(), "HC", InstitutionalClaimWriter.VERSION, List.of(
                (w, control) -> new InstitutionalClaimWriter().write(claimBundle("child"), SUBMITTER, NOW, w,
                        control)));
        X12Transaction t = readClean(x12Text);
        assertThat(t.result().schema()).isEqualTo("837I.005010X223A2");
        assertThat(x12Text).contains("CLM*PCN-1001*140***13:A:1**A*Y*Y~", "DTP*434*RD8*20261101-20261102~",
                "CL1***01~", "HI*ABK:J020~", "HI*ABF:R509~", "SV2*0510*HC:99213*100*UN*1~",
                "NM1*71*1*HOUSE*GREGORY****XX*1234567893~");
    }

    @Test
    void dentalClaimFromFhirIsAValidBalanced837D() {
        Bundle bundle = claimBundle("self");
        Claim claim = (Claim) bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Claim).findFirst().orElseThrow();
        for (Claim.ItemComponent item : claim.getItem()) {
            item.getProductOrService().getCodingFirstRep().setCode(item.getSequence() == 1 ? "D0120" : "D2391");
        }
        claim.getItem().get(1).setBodySite(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/"
                + "ex-tooth", "30", null))).addSubSite(new CodeableConcept(new Coding(null, "O", null)));
        String x12Text = Interchanges.write(header(), "HC", DentalClaimWriter.VERSION, List.of(
                (w, control) -> new DentalClaimWriter().write(bundle, SUBMITTER, NOW, w, control)));
        X12Transaction t = readClean(x12Text);
        assertThat(t.result().schema()).isEqualTo("837D.005010X224A2");
        assertThat(x12Text).contains("SV3*AD:D0120*100****1*****1:2~", "TOO*JP*30*O~");
        // SNIP 3 on SV302: an unbalanced copy is reported
        String unbalanced = x12Text.replace("SV3*AD:D0120*100*", "SV3*AD:D0120*90*");
        assertThat(X12CorpusTest.signatures(x12.validate(new ByteArrayInputStream(unbalanced.getBytes(
                StandardCharsets.ISO_8859_1))).get(0).groups().get(0).transactions().get(0)))
                .containsExactly("CLM@2300#8[2:I12]");
    }

    @Test
    void preauthorizationFromFhirIsAValid278() {
        Bundle bundle = claimBundle("self");
        Claim claim = (Claim) bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof Claim).findFirst().orElseThrow();
        claim.setUse(Claim.Use.PREAUTHORIZATION);
        String x12Text = Interchanges.write(header(), "HI", ServicesReviewRequestWriter.VERSION, List.of(
                (w, control) -> new ServicesReviewRequestWriter().write(bundle, "1999999999", NOW, w, control)));
        X12Transaction t = readClean(x12Text);
        assertThat(t.root().descendants("2000F")).hasSize(2);
        assertThat(x12Text).contains("UM*HS*I*1*11:B~", "HI*ABK:J020*ABF:R509~", "SV1*HC:99213*100*UN*1~");
    }

    static List<Path> corpusFiles() throws IOException {
        return X12CorpusTest.corpus().toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpusFiles")
    void readThenWriteGivesBackTheSameSegments(Path file) throws IOException {
        String original = Files.readString(file, StandardCharsets.ISO_8859_1);
        List<X12Transaction> transactions = x12.readAll(new ByteArrayInputStream(
                original.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(transactions).isNotEmpty();
        StringBuilder written = new StringBuilder();
        for (X12Transaction t : transactions) {
            Interchanges.writeTree(t.root(), written, t.isa().delimiters().segment());
            // and the JSON keyed by loop ids names the transaction's loops
            assertThat(X12Json.transaction(t).get(t.root().id())).isNotNull();
        }
        String body = original.replace("\r", "").replace("\n", "");
        String sets = body.substring(body.indexOf("~ST") + 1, body.lastIndexOf("~GE") + 1);
        assertThat(written.toString()).isEqualTo(sets);
    }

    X12Transaction readClean(String x12Text) {
        List<InterchangeResult> results = x12.validate(new ByteArrayInputStream(x12Text.getBytes(
                StandardCharsets.ISO_8859_1)));
        assertThat(results.get(0).noteCode()).isEqualTo("000");
        results.get(0).groups().forEach(g -> {
            assertThat(g.codes()).isEmpty();
            g.transactions().forEach(t -> {
                assertThat(t.schema()).isNotNull();
                assertThat(t.errors()).as(x12Text).isEmpty();
                assertThat(t.syntaxCodes()).as(x12Text).isEmpty();
            });
        });
        return x12.readAll(new ByteArrayInputStream(x12Text.getBytes(StandardCharsets.ISO_8859_1))).get(0);
    }

    static InterchangeHeader header() {
        return new InterchangeHeader("ZZ", "CAREBUS", "ZZ", "CLEARINGHOUSE", "CAREBUS", "CLEARINGHOUSE", 17, 17,
                false, false, NOW, X12Delimiters.DEFAULT);
    }

    /** A claim with two lines (100 + 40), two diagnoses, a rendering provider; the patient is self or a child. */
    static Bundle claimBundle(String relationship) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.COLLECTION);
        Patient patient = new Patient();
        patient.addName().setFamily("DOE").addGiven("JANE");
        patient.setGender(Enumerations.AdministrativeGender.FEMALE);
        patient.setBirthDate(new DateType("2015-04-01").getValue());
        patient.addAddress().addLine("1 MAIN ST").setCity("SPRINGFIELD").setState("IL").setPostalCode("62701");
        add(bundle, patient, "pat");
        Patient subscriber = new Patient();
        subscriber.addName().setFamily("DOE").addGiven("JOHN");
        subscriber.setGender(Enumerations.AdministrativeGender.MALE);
        subscriber.setBirthDate(new DateType("1980-02-03").getValue());
        add(bundle, subscriber, "sub");
        Organization billing = new Organization().setName("SPRINGFIELD CLINIC");
        billing.addIdentifier().setSystem(X12Codes.NPI).setValue("1234567893");
        billing.addIdentifier().setSystem(X12Codes.TAX_ID).setValue("12-3456789");
        billing.addAddress().addLine("2 CLINIC RD").setCity("SPRINGFIELD").setState("IL").setPostalCode("627010001");
        add(bundle, billing, "billing");
        Organization payer = new Organization().setName("ACME HEALTH");
        payer.addIdentifier().setSystem(X12Codes.PAYER_ID).setValue("60054");
        add(bundle, payer, "payer");
        Practitioner doctor = new Practitioner();
        doctor.addName().setFamily("HOUSE").addGiven("GREGORY");
        doctor.addIdentifier().setSystem(X12Codes.NPI).setValue("1234567893");
        add(bundle, doctor, "doc");
        Coverage coverage = new Coverage();
        coverage.setStatus(Coverage.CoverageStatus.ACTIVE);
        coverage.setSubscriberId("MEM123456");
        coverage.setBeneficiary(new Reference("Patient/pat"));
        coverage.setSubscriber(new Reference(relationship.equals("self") ? "Patient/pat" : "Patient/sub"));
        coverage.setRelationship(new CodeableConcept(new Coding(X12Codes.SUBSCRIBER_RELATIONSHIP, relationship, null)));
        coverage.addClass_().setType(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/coverage-class", "group", null))).setValue("GRP-77");
        coverage.addPayor(new Reference("Organization/payer"));
        add(bundle, coverage, "cov");
        Claim claim = new Claim();
        claim.addIdentifier().setValue("PCN-1001");
        claim.setStatus(Claim.ClaimStatus.ACTIVE);
        claim.setUse(Claim.Use.CLAIM);
        claim.setPatient(new Reference("Patient/pat"));
        claim.setProvider(new Reference("Organization/billing"));
        claim.setInsurer(new Reference("Organization/payer"));
        claim.addInsurance().setSequence(1).setFocal(true).setCoverage(new Reference("Coverage/cov"));
        claim.addCareTeam().setSequence(1).setProvider(new Reference("Practitioner/doc"));
        claim.addDiagnosis().setSequence(1).setDiagnosis(new CodeableConcept(new Coding(X12Codes.ICD10CM, "J02.0", null)));
        claim.addDiagnosis().setSequence(2).setDiagnosis(new CodeableConcept(new Coding(X12Codes.ICD10CM, "R50.9", null)));
        Claim.ItemComponent visit = claim.addItem().setSequence(1)
                .setProductOrService(new CodeableConcept(new Coding(X12Codes.CPT, "99213", null)))
                .setServiced(new DateType("2026-11-01")).setNet(new Money().setValue(new BigDecimal("100.00")));
        visit.addDiagnosisSequence(1).addDiagnosisSequence(2);
        claim.addItem().setSequence(2)
                .setProductOrService(new CodeableConcept(new Coding(X12Codes.CPT, "87880", null)))
                .setServiced(new DateType("2026-11-02")).setNet(new Money().setValue(new BigDecimal("40.00")))
                .addDiagnosisSequence(1);
        add(bundle, claim, "claim");
        return bundle;
    }

    static void add(Bundle bundle, Resource resource, String id) {
        resource.setId(id);
        bundle.addEntry().setFullUrl(resource.fhirType() + "/" + id).setResource(resource);
    }
}
