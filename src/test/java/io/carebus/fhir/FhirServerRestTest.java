package io.carebus.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Enumerations.AdministrativeGender;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The FHIR R4 REST API at /fhir over real HTTP, on HAPI JPA and the embedded PostgreSQL. */
class FhirServerRestTest extends EngineTestBase {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    IGenericClient client;

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(
                ca.uhn.fhir.rest.client.api.ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    private static Patient patient(String mrn, String family) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carebus:test:mrn").setValue(mrn);
        patient.addName().setFamily(family).addGiven("Jane");
        patient.setGender(AdministrativeGender.FEMALE);
        return patient;
    }

    private static Observation heartRate(IdType patient, int value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs")));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", "8867-4", "Heart rate")));
        observation.setSubject(new Reference(patient.toUnqualifiedVersionless()));
        observation.setValue(new Quantity().setValue(value).setUnit("/min")
                .setSystem("http://unitsofmeasure.org").setCode("/min"));
        return observation;
    }

    @Test
    void createReadVreadUpdatePatchDeleteAndHistory() {
        String mrn = UUID.randomUUID().toString();
        IdType id = (IdType) client.create().resource(patient(mrn, "Crud")).execute().getId();
        assertThat(id.getVersionIdPart()).isEqualTo("1");

        Patient read = client.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute();
        assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Crud");

        read.getNameFirstRep().setFamily("Updated");
        MethodOutcome updated = client.update().resource(read).execute();
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        String patch = "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"male\"}]";
        client.patch().withBody(patch).withId(id.toUnqualifiedVersionless()).execute();
        Patient patched = client.read().resource(Patient.class).withId(id.toUnqualifiedVersionless()).execute();
        assertThat(patched.getGender()).isEqualTo(AdministrativeGender.MALE);
        assertThat(patched.getMeta().getVersionId()).isEqualTo("3");

        Patient first = client.read().resource(Patient.class).withId(id.withVersion("1")).execute();
        assertThat(first.getNameFirstRep().getFamily()).isEqualTo("Crud");

        Bundle history = client.history().onInstance(id.toUnqualifiedVersionless()).returnBundle(Bundle.class)
                .execute();
        assertThat(history.getEntry()).hasSize(3);

        client.delete().resourceById(id.toUnqualifiedVersionless()).execute();
        assertThatThrownBy(() -> client.read().resource(Patient.class).withId(id.toUnqualifiedVersionless())
                .execute()).isInstanceOf(ResourceGoneException.class);
    }

    /**
     * The store keeps no "missing fields" index, yet {@code :missing} still answers rightly (HAPI then looks for the
     * absence of an index row), for a value and for a reference.
     */
    @Test
    void missingModifierSearchesWithoutTheMissingFieldsIndex() {
        String run = UUID.randomUUID().toString();
        Patient withBirthDate = patient(run, "Born");
        withBirthDate.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1980-02-03"));
        IdType born = (IdType) client.create().resource(withBirthDate).execute().getId();
        IdType unknown = (IdType) client.create().resource(patient(run, "Unknown")).execute().getId();
        client.create().resource(heartRate(born, 60)).execute();

        String same = "&identifier=urn:carebus:test:mrn|" + run;
        assertThat(ids("Patient?birthdate:missing=true" + same)).containsExactly(unknown.getIdPart());
        assertThat(ids("Patient?birthdate:missing=false" + same)).containsExactly(born.getIdPart());
        IdType noSubject = (IdType) client.create().resource(heartRate(born, 61).setSubject(null)
                .setIdentifier(List.of(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:carebus:test:obs")
                        .setValue(run)))).execute().getId();
        assertThat(ids("Observation?subject:missing=true&identifier=urn:carebus:test:obs|" + run))
                .containsExactly(noSubject.getIdPart());
        assertThat(ids("Observation?subject:missing=false&identifier=urn:carebus:test:obs|" + run)).isEmpty();
    }

    private List<String> ids(String search) {
        return client.search().byUrl(search).returnBundle(Bundle.class).execute().getEntry().stream()
                .map(e -> e.getResource().getIdElement().getIdPart()).toList();
    }

    @Test
    void conditionalCreateUpdateAndDelete() {
        String mrn = UUID.randomUUID().toString();
        String search = "Patient?identifier=urn:carebus:test:mrn|" + mrn;
        MethodOutcome created = client.create().resource(patient(mrn, "Cond")).conditionalByUrl(search).execute();
        assertThat(created.getCreated()).isTrue();
        MethodOutcome again = client.create().resource(patient(mrn, "Cond")).conditionalByUrl(search).execute();
        assertThat(again.getCreated()).isNotEqualTo(Boolean.TRUE);
        assertThat(again.getId().getIdPart()).isEqualTo(created.getId().getIdPart());

        MethodOutcome updated = client.update().resource(patient(mrn, "CondUpdated")).conditionalByUrl(search)
                .execute();
        assertThat(updated.getId().getIdPart()).isEqualTo(created.getId().getIdPart());
        assertThat(updated.getId().getVersionIdPart()).isEqualTo("2");

        client.delete().resourceConditionalByUrl(search).execute();
        Bundle found = client.search().byUrl(search).returnBundle(Bundle.class).execute();
        assertThat(found.getEntry()).isEmpty();
    }

    /**
     * FHIR R4 http.html#concurrency: "If the version id given in the If-Match header does not match, the server
     * returns a 412 Precondition Failed status code instead of updating the resource" (update and patch alike);
     * the current version still updates.
     */
    @Test
    void aStaleIfMatchIsPreconditionFailed() throws Exception {
        IdType id = ((IdType) client.create().resource(patient(UUID.randomUUID().toString(), "Match")).execute()
                .getId()).toUnqualifiedVersionless();
        Patient current = client.read().resource(Patient.class).withId(id).execute();
        client.update().resource(current.setGender(AdministrativeGender.MALE)).execute();   // now version 2

        String body = fhirContext.newJsonParser().encodeResourceToString(current.setGender(AdministrativeGender.OTHER));
        HttpResponse<String> stale = send(fhirRequest(id.getValue(), "W/\"1\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/fhir+json")
                .build());
        assertThat(stale.statusCode()).as(stale.body()).isEqualTo(412);
        assertThat(stale.body()).contains("OperationOutcome");

        HttpResponse<String> stalePatch = send(fhirRequest(id.getValue(), "W/\"1\"")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"unknown\"}]"))
                .header("Content-Type", "application/json-patch+json").build());
        assertThat(stalePatch.statusCode()).as(stalePatch.body()).isEqualTo(412);

        HttpResponse<String> fresh = send(fhirRequest(id.getValue(), "W/\"2\"")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/fhir+json")
                .build());
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);
        assertThat(client.read().resource(Patient.class).withId(id).execute().getGender())
                .isEqualTo(AdministrativeGender.OTHER);
    }

    /**
     * Bundle.entry.request.ifMatch is the entry's If-Match (bundle.html: "Only perform the operation if the Etag value
     * matches", http.html#concurrency: else "412 Precondition Failed"): a stale one fails a transaction with 412, as
     * a plain update, and a batch entry with 412. A transaction failing on another conflict (a delete the references
     * refuse) still answers 409.
     */
    @Test
    void aStaleIfMatchInATransactionOrBatchEntryIsPreconditionFailed() throws Exception {
        IdType id = ((IdType) client.create().resource(patient(UUID.randomUUID().toString(), "Entry")).execute()
                .getId()).toUnqualifiedVersionless();
        Patient current = client.read().resource(Patient.class).withId(id).execute();
        client.update().resource(current.setGender(AdministrativeGender.MALE)).execute();   // now version 2

        HttpResponse<String> transaction = postBundle(ifMatchBundle(Bundle.BundleType.TRANSACTION, id, "W/\"1\""));
        assertThat(transaction.statusCode()).as(transaction.body()).isEqualTo(412);
        assertThat(transaction.body()).contains("OperationOutcome");

        HttpResponse<String> batch = postBundle(ifMatchBundle(Bundle.BundleType.BATCH, id, "W/\"1\""));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        Bundle batchResponse = fhirContext.newJsonParser().parseResource(Bundle.class, batch.body());
        assertThat(batchResponse.getEntryFirstRep().getResponse().getStatus()).startsWith("412");
        assertThat(batchResponse.getEntryFirstRep().getResponse().getOutcome()).isNotNull();
        assertThat(client.read().resource(Patient.class).withId(id).execute().getMeta().getVersionId())
                .isEqualTo("2");

        HttpResponse<String> fresh = postBundle(ifMatchBundle(Bundle.BundleType.TRANSACTION, id, "W/\"2\""));
        assertThat(fresh.statusCode()).as(fresh.body()).isEqualTo(200);

        client.create().resource(heartRate(id, 70)).execute();
        Bundle deleteReferenced = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        deleteReferenced.addEntry().getRequest().setMethod(Bundle.HTTPVerb.DELETE).setUrl(id.getValue());
        HttpResponse<String> conflict = postBundle(deleteReferenced);
        assertThat(conflict.statusCode()).as(conflict.body()).isEqualTo(409);
    }

    private Bundle ifMatchBundle(Bundle.BundleType type, IdType id, String ifMatch) {
        Patient update = patient(UUID.randomUUID().toString(), "EntryUpdated");
        update.setId(id);
        Bundle bundle = new Bundle().setType(type);
        bundle.addEntry().setFullUrl(id.getValue()).setResource(update).getRequest().setMethod(Bundle.HTTPVerb.PUT)
                .setUrl(id.getValue()).setIfMatch(ifMatch);
        return bundle;
    }

    private HttpResponse<String> postBundle(Bundle bundle) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString(
                ("engineer:" + ENGINEER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/fhir"))
                .header("Authorization", "Basic " + basic).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhirContext.newJsonParser().encodeResourceToString(bundle)))
                .build());
    }

    private HttpRequest.Builder fhirRequest(String path, String ifMatch) {
        String basic = java.util.Base64.getEncoder().encodeToString(
                ("engineer:" + ENGINEER_PASSWORD).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + "/fhir/" + path))
                .header("Authorization", "Basic " + basic).header("Accept", "application/fhir+json")
                .header("If-Match", ifMatch);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void transactionThenSearchWithIncludesChainingPagingAndEverything() {
        String mrn = UUID.randomUUID().toString();
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Patient patient = patient(mrn, "Txn");
        String patientRef = "urn:uuid:" + UUID.randomUUID();
        transaction.addEntry().setFullUrl(patientRef).setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient")
                .setIfNoneExist("identifier=urn:carebus:test:mrn|" + mrn);
        for (int i = 0; i < 5; i++) {
            Observation observation = heartRate(new IdType(patientRef), 60 + i);
            observation.getSubject().setReference(patientRef);
            transaction.addEntry().setResource(observation).getRequest().setMethod(Bundle.HTTPVerb.POST)
                    .setUrl("Observation");
        }
        Encounter encounter = new Encounter().setStatus(Encounter.EncounterStatus.INPROGRESS)
                .setSubject(new Reference(patientRef));
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        transaction.addEntry().setResource(encounter).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Encounter");
        Bundle response = client.transaction().withBundle(transaction).execute();
        assertThat(response.getEntry()).hasSize(7);
        assertThat(response.getEntry()).allSatisfy(e -> assertThat(e.getResponse().getStatus()).startsWith("201"));
        String patientId = new IdType(response.getEntryFirstRep().getResponse().getLocation()).getIdPart();

        Bundle byIdentifier = client.search().byUrl("Patient?identifier=urn:carebus:test:mrn|" + mrn)
                .returnBundle(Bundle.class).execute();
        assertThat(byIdentifier.getEntry()).hasSize(1);

        Bundle withPatient = client.search().byUrl("Observation?patient=" + patientId
                        + "&category=vital-signs&_include=Observation:subject&_count=2")
                .returnBundle(Bundle.class).execute();
        assertThat(withPatient.getEntry()).filteredOn(e -> e.getResource() instanceof Observation).hasSize(2);
        assertThat(withPatient.getEntry()).anyMatch(e -> e.getResource() instanceof Patient);
        assertThat(withPatient.getLink(Bundle.LINK_NEXT)).isNotNull();
        Bundle page2 = client.loadPage().next(withPatient).execute();
        assertThat(page2.getEntry()).filteredOn(e -> e.getResource() instanceof Observation).hasSize(2);

        Bundle revinclude = client.search().byUrl("Patient?_id=" + patientId + "&_revinclude=Encounter:subject")
                .returnBundle(Bundle.class).execute();
        assertThat(revinclude.getEntry()).anyMatch(e -> e.getResource() instanceof Encounter);

        Bundle chained = client.search().byUrl("Observation?subject:Patient.identifier=urn:carebus:test:mrn|" + mrn
                + "&_lastUpdated=gt2020-01-01").returnBundle(Bundle.class).execute();
        assertThat(chained.getEntry()).hasSize(5);

        Parameters everythingOut = client.operation().onInstance(new IdType("Patient", patientId))
                .named("$everything").withNoParameters(Parameters.class).execute();
        Bundle everything = (Bundle) everythingOut.getParameterFirstRep().getResource();
        assertThat(everything.getEntry()).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    void batchEntriesSucceedOrFailOneByOneAndTypeAndServerHistoryListWrites() {
        java.util.Date before = new java.util.Date(System.currentTimeMillis() - 1000);
        String mrn = UUID.randomUUID().toString();
        IdType id = ((IdType) client.create().resource(patient(mrn, "Batch")).execute().getId())
                .toUnqualifiedVersionless();

        Bundle batch = new Bundle().setType(Bundle.BundleType.BATCH);
        batch.addEntry().setResource(heartRate(id, 70)).getRequest().setMethod(Bundle.HTTPVerb.POST)
                .setUrl("Observation");
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(id.getValue());
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/does-not-exist-" + mrn);
        batch.addEntry().getRequest().setMethod(Bundle.HTTPVerb.GET)
                .setUrl("Observation?patient=" + id.getIdPart());
        Bundle response = client.transaction().withBundle(batch).execute();

        assertThat(response.getType()).isEqualTo(Bundle.BundleType.BATCHRESPONSE);
        assertThat(response.getEntry()).extracting(e -> e.getResponse().getStatus().substring(0, 3))
                .containsExactly("201", "200", "404", "200");   // unlike a transaction, one failure stops nothing
        assertThat(((Patient) response.getEntry().get(1).getResource()).getNameFirstRep().getFamily())
                .isEqualTo("Batch");
        assertThat(((Bundle) response.getEntry().get(3).getResource()).getEntry()).hasSize(1);

        Bundle typeHistory = client.history().onType(Patient.class).returnBundle(Bundle.class).since(before)
                .execute();
        assertThat(typeHistory.getEntry()).anyMatch(e -> e.getResource() instanceof Patient p
                && p.getIdElement().getIdPart().equals(id.getIdPart()));
        Bundle serverHistory = client.history().onServer().returnBundle(Bundle.class).since(before).count(500)
                .execute();
        assertThat(serverHistory.getEntry()).anyMatch(e -> e.getResource() instanceof Observation o
                && o.getSubject().getReference().endsWith(id.getIdPart()));
    }

    @Test
    void capabilityStatementDescribesTheServer() {
        CapabilityStatement capabilities = client.capabilities().ofType(CapabilityStatement.class).execute();
        assertThat(capabilities.getFhirVersion().toCode()).isEqualTo("4.0.1");
        List<String> types = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(types).contains("Patient", "Observation", "Encounter", "Claim", "ClaimResponse");
    }
}
