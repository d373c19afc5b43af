package io.carebus.fhir.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CanonicalType;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Goal;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** US Core 6.1.0 validation on write, $validate and the CapabilityStatement, over real HTTP at /fhir. */
class UsCoreValidationRestTest extends EngineTestBase {

    private static final String US_CORE_PATIENT = UsCoreSamples.PATIENT;

    @LocalServerPort
    int port;
    @Autowired
    FhirContext fhirContext;

    IGenericClient client;
    final HttpClient http = HttpClient.newHttpClient();
    final Random random = new Random();

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        fhirContext.getRestfulClientFactory().setSocketTimeout(60_000);   // a busy build machine
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    /** A US Core Patient without identifier, name and gender (each 1..* or 1..1 in us-core-patient). */
    private static Patient usCorePatientMissingMustHaves() {
        Patient patient = new Patient();
        patient.getMeta().addProfile(US_CORE_PATIENT);
        patient.setBirthDate(new java.util.Date(0));
        return patient;
    }

    @Test
    void aValidUsCorePatientAndObservationAreCreated() {
        MethodOutcome patient = client.create().resource(UsCoreSamples.patient(random)).execute();
        assertThat(patient.getCreated()).isTrue();
        Observation observation = UsCoreSamples.observation(random,
                patient.getId().toUnqualifiedVersionless().getValue());
        MethodOutcome created = client.create().resource(observation).execute();
        assertThat(created.getCreated()).isTrue();
    }

    @Test
    void aUsCorePatientWithoutIdentifierNameAndGenderIsRejectedNamingElementAndProfile() {
        assertThatThrownBy(() -> client.create().resource(usCorePatientMissingMustHaves()).execute())
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    assertThat(e.getStatusCode()).isEqualTo(422);
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssue()).allSatisfy(issue -> {
                        assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
                        assertThat(issue.getDiagnostics()).contains(US_CORE_PATIENT);
                    });
                    List<String> expressions = outcome.getIssue().stream()
                            .flatMap(i -> i.getExpression().stream()).map(Object::toString).toList();
                    assertThat(expressions).contains("Patient.identifier", "Patient.name", "Patient.gender");
                });
    }

    @Test
    void anUpdateIsValidatedToo() {
        Patient patient = UsCoreSamples.patient(random);
        String id = client.create().resource(patient).execute().getId().getIdPart();
        patient.setId(id);
        patient.getIdentifier().clear();
        assertThatThrownBy(() -> client.update().resource(patient).execute())
                .isInstanceOf(UnprocessableEntityException.class)
                .hasMessageContaining("Patient.identifier");
    }

    @Test
    void aUsCoreLabObservationWithoutCategoryAndSubjectIsRejected() {
        Observation observation = UsCoreSamples.observation(new Random(3), "Patient/x");
        observation.getMeta().getProfile().clear();
        observation.getMeta().addProfile(UsCoreSamples.OBSERVATION_LAB);
        observation.getCategory().clear();
        observation.setSubject(null);
        assertThatThrownBy(() -> client.create().resource(observation).execute())
                .isInstanceOfSatisfying(UnprocessableEntityException.class, e -> {
                    OperationOutcome outcome = (OperationOutcome) e.getOperationOutcome();
                    assertThat(outcome.getIssue()).anySatisfy(issue -> {
                        assertThat(issue.getExpression().toString()).contains("Observation.subject");
                        assertThat(issue.getDiagnostics()).contains(UsCoreSamples.OBSERVATION_LAB);
                    });
                    assertThat(outcome.getIssue()).anySatisfy(issue ->
                            assertThat(issue.getExpression().toString()).contains("Observation.category"));
                });
    }

    @Test
    void aPlainR4PatientDeclaringNoProfileIsStoredInDeclaredMode() {
        Patient patient = new Patient();
        patient.addName().setFamily("NoProfile");
        assertThat(client.create().resource(patient).execute().getCreated()).isTrue();
    }

    @Test
    void aTypeNotConfiguredIsNotValidated() {
        // us-core-goal requires lifecycleStatus, description and subject: Goal is not in resource-types
        Goal goal = new Goal();
        goal.getMeta().addProfile(UsCoreValidator.PROFILE_PREFIX + "us-core-goal");
        goal.addNote().setText("not validated on write");
        assertThat(client.create().resource(goal).execute().getCreated()).isTrue();
    }

    @Test
    void anInvalidEntryRejectsTheWholeTransaction() {
        String mrn = UUID.randomUUID().toString();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient good = UsCoreSamples.patient(random);
        good.getIdentifierFirstRep().setValue(mrn);
        transaction.addEntry().setResource(good).getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        transaction.addEntry().setResource(usCorePatientMissingMustHaves()).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOf(UnprocessableEntityException.class);
        Bundle found = client.search().byUrl("Patient?identifier=" + mrn).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).isEmpty();
    }

    private HttpResponse<String> validate(String query, Patient patient) throws Exception {
        String auth = Base64.getEncoder().encodeToString(("engineer:" + ENGINEER_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/fhir/Patient/$validate"
                        + query))
                .header("Authorization", "Basic " + auth).header("Content-Type", "application/fhir+json")
                .header("Accept", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhirContext.newJsonParser().encodeResourceToString(patient)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void validateOperationUsesTheSameValidator() throws Exception {
        HttpResponse<String> valid = validate("", UsCoreSamples.patient(random));
        assertThat(valid.statusCode()).as(valid.body()).isEqualTo(200);
        OperationOutcome ok = fhirContext.newJsonParser().parseResource(OperationOutcome.class, valid.body());
        assertThat(ok.getIssue()).noneMatch(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR);

        // HAPI answers $validate with 200 and the OperationOutcome, errors included
        HttpResponse<String> invalid = validate("", usCorePatientMissingMustHaves());
        assertThat(errors(invalid)).anySatisfy(d -> assertThat(d).contains("Patient.identifier")
                .contains(US_CORE_PATIENT));

        // no profile declared: plain R4 is valid; against ?profile=us-core-patient it is not
        Patient plain = new Patient();
        plain.addName().setFamily("Plain");
        assertThat(validate("", plain).statusCode()).isEqualTo(200);
        assertThat(errors(validate("", plain))).isEmpty();
        HttpResponse<String> againstUsCore = validate("?profile=" + US_CORE_PATIENT, plain);
        assertThat(errors(againstUsCore)).anySatisfy(d -> assertThat(d).contains("Patient.identifier"))
                .anySatisfy(d -> assertThat(d).contains("Patient.gender"));
    }

    /** The diagnostics of the ERROR issues of a $validate answer. */
    private List<String> errors(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isIn(200, 412, 422);
        OperationOutcome outcome = fhirContext.newJsonParser().parseResource(OperationOutcome.class, response.body());
        return outcome.getIssue().stream().filter(i -> i.getSeverity() == OperationOutcome.IssueSeverity.ERROR)
                .map(OperationOutcome.OperationOutcomeIssueComponent::getDiagnostics).toList();
    }

    @Test
    void capabilityStatementListsTheUsCoreProfiles() {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getInstantiates()).extracting(CanonicalType::getValue)
                .contains(UsCoreValidator.US_CORE_SERVER);
        CapabilityStatement.CapabilityStatementRestComponent rest = capabilities.getRestFirstRep();
        assertThat(profiles(rest, "Patient")).contains(US_CORE_PATIENT);
        assertThat(profiles(rest, "Observation")).contains(UsCoreSamples.OBSERVATION_LAB, UsCoreSamples.HEART_RATE,
                UsCoreValidator.PROFILE_PREFIX + "us-core-vital-signs");
        assertThat(profiles(rest, "Condition")).contains(
                UsCoreValidator.PROFILE_PREFIX + "us-core-condition-encounter-diagnosis",
                UsCoreValidator.PROFILE_PREFIX + "us-core-condition-problems-health-concerns");
        assertThat(profiles(rest, "Encounter")).contains(UsCoreValidator.PROFILE_PREFIX + "us-core-encounter");
        // exactly the types validated on write claim US Core profiles: CarePlan, Goal... are stored unchecked
        List<String> claiming = rest.getResource().stream().filter(r -> r.hasSupportedProfile())
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(claiming).isNotEmpty().allSatisfy(type -> assertThat(validation.getResourceTypes()).contains(type))
                .doesNotContain("CarePlan", "Goal", "CareTeam", "Specimen");
    }

    @Autowired
    UsCoreValidationProperties validation;

    private static List<String> profiles(CapabilityStatement.CapabilityStatementRestComponent rest, String type) {
        return rest.getResource().stream().filter(r -> r.getType().equals(type))
                .flatMap(r -> r.getSupportedProfile().stream()).map(CanonicalType::getValue).toList();
    }
}
