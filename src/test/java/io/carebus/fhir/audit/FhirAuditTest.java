package io.carebus.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every access to patient data through /fhir leaves an AuditEvent that an auditor can query. */
class FhirAuditTest extends EngineTestBase {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    QueuedAuditEventSink sink;

    @Autowired
    IInterceptorService storageInterceptors;

    final HttpClient http = HttpClient.newHttpClient();
    IGenericClient client;

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    @Test
    void createReadAndSearchEachLeaveAnAuditEventNamingUserPatientActionAndOutcome() throws Exception {
        IdType patient = createPatient();
        client.read().resource(Patient.class).withId(patient).execute();
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", null)));
        observation.setSubject(new Reference(patient));
        IdType observationId = ((IdType) client.create().resource(observation).execute().getId())
                .toUnqualifiedVersionless();
        client.search().byUrl("Observation?subject=" + patient.getValue()).returnBundle(Bundle.class).execute();

        AuditEvent created = awaitEvent(patient, "engineer", "create");
        AuditEvent read = awaitEvent(patient, "engineer", "read");
        AuditEvent searched = awaitEvent(patient, "engineer", "search-type");
        for (AuditEvent event : List.of(created, read, searched)) {
            assertThat(event.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
            assertThat(patients(event)).contains(patient.getValue());
            assertThat(event.getAgent()).anySatisfy(agent -> {
                assertThat(agent.getRequestor()).isTrue();
                assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo("engineer");
            });
            assertThat(event.getAgent()).anySatisfy(agent ->
                    assertThat(agent.getNetwork().getAddress()).isNotBlank());
            assertThat(event.getSource().getObserver().getDisplay()).endsWith("/fhir");
        }
        assertThat(created.getAction()).isEqualTo(AuditEvent.AuditEventAction.C);
        assertThat(read.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
        assertThat(read.getEntity()).anySatisfy(entity ->
                assertThat(entity.getWhat().getIdentifier().getValue()).isEqualTo(patient.getValue()));
        // IHE BALP: a query is an "execute"
        assertThat(searched.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(searched.getEntity()).anySatisfy(entity ->
                assertThat(entity.getDescription()).contains("Observation?subject="));

        // the audit trail never keeps a patient from being deleted, and the delete is audited too
        client.delete().resourceById(observationId).execute();
        client.delete().resourceById(patient).execute();
        assertThat(awaitEvent(patient, "engineer", "delete").getAction()).isEqualTo(AuditEvent.AuditEventAction.D);
    }

    @Test
    void aTransactionOfOnePatientsResourcesLeavesOneCreateEventListingEachResource() throws Exception {
        IdType patient = createPatient();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (String code : List.of("8867-4", "8310-5", "9279-1")) {
            Observation observation = new Observation();
            observation.setStatus(Observation.ObservationStatus.FINAL);
            observation.setCode(new CodeableConcept(new Coding("http://loinc.org", code, null)));
            observation.setSubject(new Reference(patient));
            transaction.addEntry().setResource(observation).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        }
        Bundle response = client.transaction().withBundle(transaction).execute();
        List<String> written = response.getEntry().stream()
                .map(entry -> new IdType(entry.getResponse().getLocation()).toUnqualifiedVersionless().getValue())
                .toList();

        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            List<AuditEvent> creates = events("patient=" + patient.getIdPart() + "&action=C").stream()
                    .filter(event -> event.getEntity().stream().anyMatch(entity ->
                            written.contains(entity.getWhat().getIdentifier().getValue())))
                    .toList();
            assertThat(creates).hasSize(1);
            assertThat(creates.get(0).getEntity())
                    .extracting(entity -> entity.getWhat().getIdentifier().getValue())
                    .containsAll(written);
            assertThat(patients(creates.get(0))).containsExactly(patient.getValue());
        });
    }

    @Test
    void aFailedAccessLeavesAFailureOutcome() throws Exception {
        IdType missing = new IdType("Patient", "missing-" + UUID.randomUUID());
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId(missing).execute())
                .isInstanceOf(ResourceNotFoundException.class);

        AuditEvent failed = awaitEvent(missing, "engineer", "read");
        assertThat(failed.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(failed.getOutcomeDesc()).startsWith("404");
        assertThat(failed.getAction()).isEqualTo(AuditEvent.AuditEventAction.R);
    }

    @Test
    void onlyAuditorsAndEngineersReadTheAuditTrail() throws Exception {
        IdType patient = createPatient();
        awaitEvent(patient, "engineer", "create");
        String query = "/api/audit/events?patient=" + patient.getIdPart() + "&user=engineer";
        assertThat(get(query, "auditor", AUDITOR_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(get(query, "engineer", ENGINEER_PASSWORD).statusCode()).isEqualTo(200);
        assertThat(get(query, "analyst", ANALYST_PASSWORD).statusCode()).isEqualTo(403);
        assertThat(get(query, null, null).statusCode()).isEqualTo(401);
        // an auditor may only read the trail, not the data
        assertThat(get("/fhir/" + patient.getValue(), "auditor", AUDITOR_PASSWORD).statusCode()).isEqualTo(403);
    }

    @Autowired
    ca.uhn.fhir.rest.server.util.ISearchParamRegistry searchParams;

    @Test
    void auditEventsAreIndexedOnlyByWhatTheAuditTrailIsSearchedBy() throws Exception {
        ca.uhn.fhir.rest.server.util.ISearchParamRegistry.SearchParamLookupContextEnum index =
                ca.uhn.fhir.rest.server.util.ISearchParamRegistry.SearchParamLookupContextEnum.INDEX;
        assertThat(searchParams.getActiveSearchParams("AuditEvent", index).values().stream()
                .map(ca.uhn.fhir.context.RuntimeSearchParam::getName).toList())
                .contains("date", "action", "outcome")
                .doesNotContain("agent", "agent-name", "entity", "entity-type", "address", "source", "type");
        // what the audit API asks by still finds the event
        IdType patient = createPatient();
        AuditEvent created = awaitEvent(patient, "engineer", "create");
        assertThat(events("patient=" + patient.getIdPart() + "&action=C&outcome=0&since=2020-01-01"))
                .anyMatch(event -> event.getIdElement().getIdPart().equals(created.getIdElement().getIdPart()));
    }

    @Test
    void readingTheAuditTrailIsNotAuditedAndItCannotBeWrittenThroughTheApi() throws Exception {
        IdType patient = createPatient();
        AuditEvent created = awaitEvent(patient, "engineer", "create");
        client.read().resource(AuditEvent.class).withId(created.getIdElement().toUnqualifiedVersionless())
                .execute();
        client.search().forResource(AuditEvent.class).returnBundle(Bundle.class).execute();
        // a later read of the patient is stored after the AuditEvent reads above (one writer, in order)
        client.read().resource(Patient.class).withId(patient).execute();
        awaitEvent(patient, "engineer", "read");
        assertThat(events("user=engineer&_count=500")).noneMatch(event -> event.getEntity().stream()
                .anyMatch(entity -> entity.getWhat().getIdentifier().getValue() != null
                        && entity.getWhat().getIdentifier().getValue().startsWith("AuditEvent/")));
    }

    @Test
    void aFailingAuditStoreNeverFailsTheRequest() {
        IdType patient = createPatient();
        FailAuditEventWrites failing = new FailAuditEventWrites();
        long failedBefore = sink.failed();
        storageInterceptors.registerInterceptor(failing);
        try {
            Patient read = client.read().resource(Patient.class).withId(patient).execute();
            assertThat(read.getIdElement().getIdPart()).isEqualTo(patient.getIdPart());
            await().atMost(Duration.ofSeconds(20)).until(() -> sink.failed() > failedBefore);
        } finally {
            storageInterceptors.unregisterInterceptor(failing);
        }
    }

    @Test
    void aFullQueueDropsEventsInsteadOfWaiting() {
        QueuedAuditEventSink tiny = new QueuedAuditEventSink(null, null, 1, 1);
        tiny.recordAuditEvent(new AuditEvent());
        tiny.recordAuditEvent(new AuditEvent());
        assertThat(tiny.pending()).isEqualTo(1);
        assertThat(tiny.dropped()).isEqualTo(1);
    }

    /** The store refusing every AuditEvent, as a database outage would. */
    @Interceptor
    public static class FailAuditEventWrites {
        @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
        public void refuse(IBaseResource resource) {
            if (resource instanceof AuditEvent) {
                throw new IllegalStateException("audit store down");
            }
        }
    }

    // --

    private IdType createPatient() {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carebus:test:mrn").setValue(UUID.randomUUID().toString());
        patient.addName().setFamily("Audit").addGiven("Ann");
        return ((IdType) client.create().resource(patient).execute().getId()).toUnqualifiedVersionless();
    }

    private AuditEvent awaitEvent(IdType patient, String user, String interaction) {
        Predicate<AuditEvent> wanted = event -> event.getSubtype().stream()
                .anyMatch(subtype -> interaction.equals(subtype.getCode()));
        return await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                .until(() -> events("patient=" + patient.getIdPart() + "&user=" + user).stream()
                        .filter(wanted).findFirst().orElse(null), java.util.Objects::nonNull);
    }

    private List<AuditEvent> events(String query) throws Exception {
        HttpResponse<String> response = get("/api/audit/events?" + query, "auditor", AUDITOR_PASSWORD);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        Bundle bundle = fhirContext.newJsonParser().parseResource(Bundle.class, response.body());
        return bundle.getEntry().stream().map(entry -> (AuditEvent) entry.getResource()).toList();
    }

    private static List<String> patients(AuditEvent event) {
        return event.getEntity().stream().filter(entity -> "1".equals(entity.getRole().getCode()))
                .map(entity -> entity.getWhat().getIdentifier().getValue())
                .toList();
    }

    private HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET();
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
