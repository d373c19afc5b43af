package io.carebus.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import ca.uhn.fhir.batch2.api.IJobMaintenanceService;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.carebus.fhir.smart.SmartHttpTestBase;
import io.carebus.support.SmartTestClients;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * FHIR Bulk Data Access IG 2.0 $export over real HTTP, as a SMART backend service ({@code system/*.rs} token):
 * kick-off, status polling, manifest, NDJSON download parsed back, {@code _type}, {@code _since},
 * {@code _typeFilter}, Patient and Group level, cancel; nobody else may export, and one backend's export (status,
 * cancel, files) is not another's.
 */
class BulkExportTest extends SmartHttpTestBase {

    private static final String TAG_SYSTEM = "urn:carebus:test:bulk";
    private static final String HEART_RATE = "8867-4";
    private static final String BODY_WEIGHT = "29463-7";

    @Autowired
    FhirContext fhirContext;

    @Autowired
    IJobMaintenanceService jobMaintenance;

    final ObjectMapper json = new ObjectMapper();
    IGenericClient client;
    /** The exporting backend service's access token. */
    String token;
    String run;
    IdType ann;
    IdType bob;
    IdType cat;
    Observation lastObservation;

    @BeforeEach
    void data() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient(fhirBase());
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
        token = backendToken(SmartTestClients.BACKEND_SCOPES);
        run = UUID.randomUUID().toString();
        ann = create(patient("Ann"));
        bob = create(patient("Bob"));
        cat = create(patient("Cat"));
        create(observation(ann, HEART_RATE));
        create(observation(ann, BODY_WEIGHT));
        create(observation(bob, HEART_RATE));
        IdType last = create(observation(cat, HEART_RATE));
        lastObservation = client.read().resource(Observation.class).withId(last).execute();
    }

    @Test
    void kickOffWithoutPreferRespondAsyncIsRefused() throws Exception {
        HttpResponse<String> response = http.send(fhirGet("/$export?_type=Patient").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("OperationOutcome");
    }

    /**
     * IG 2.0 _outputFormat: "The server SHALL accept the full content type of application/fhir+ndjson as well as the
     * abbreviated representations application/ndjson and ndjson"; another format is refused with an OperationOutcome.
     */
    @Test
    void outputFormatAcceptsTheAbbreviationsOfNdjson() throws Exception {
        for (String format : List.of("application/fhir+ndjson", "application/ndjson", "ndjson")) {
            Map<String, List<IBaseResource>> exported = export("/$export?_type=Patient&_outputFormat="
                    + URLEncoder.encode(format, StandardCharsets.UTF_8) + typeFilter("Patient"));
            assertThat(ids(exported.get("Patient"))).as(format).containsExactlyInAnyOrder(
                    ann.getIdPart(), bob.getIdPart(), cat.getIdPart());
        }
        HttpResponse<String> csv = send(fhirGet("/$export?_type=Patient&_outputFormat=text%2Fcsv")
                .header("Prefer", "respond-async").build());
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(400);
        assertThat(csv.body()).contains("OperationOutcome");
    }

    /**
     * IG 2.0 kick-off: a server unable to support _elements or includeAssociatedData "SHOULD return an error and
     * FHIR OperationOutcome resource so clients can re-submit a request omitting" it; with {@code Prefer:
     * handling=lenient} the server "MAY process the request instead of returning an error".
     */
    @Test
    void unsupportedKickOffParametersAreRefusedUnlessLenient() throws Exception {
        for (String parameter : List.of("_elements=id", "includeAssociatedData=LatestProvenanceResources")) {
            HttpResponse<String> strict = send(fhirGet("/$export?_type=Patient&" + parameter)
                    .header("Prefer", "respond-async").build());
            assertThat(strict.statusCode()).as("%s: %s", parameter, strict.body()).isEqualTo(400);
            assertThat(strict.body()).contains("OperationOutcome").contains(parameter.substring(0,
                    parameter.indexOf('=')));
        }
        HttpResponse<String> lenient = send(fhirGet("/$export?_type=Patient&_elements=id" + typeFilter("Patient"))
                .header("Prefer", "respond-async, handling=lenient").build());
        assertThat(lenient.statusCode()).as(lenient.body()).isEqualTo(202);
        assertThat(download(awaitManifest(lenient.headers().firstValue("Content-Location").orElseThrow()))
                .get("Patient")).hasSize(3);
    }

    @Test
    void systemExportPollsThenGivesAManifestOfNdjsonFiles() throws Exception {
        String statusUrl;
        jobMaintenance.enableMaintenancePass(false);
        try {
            statusUrl = kickOff("/$export?_type=Patient,Observation" + typeFilter("Patient") + typeFilter("Observation"));
            HttpResponse<String> running = http.send(fhirGet(statusUrl).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(running.statusCode()).isEqualTo(202);
            assertThat(running.headers().firstValue("X-Progress")).isPresent();
            assertThat(running.headers().firstValue("Retry-After")).hasValue("1");
        } finally {
            jobMaintenance.enableMaintenancePass(true);
        }

        JsonNode manifest = awaitManifest(statusUrl);
        assertThat(manifest.path("transactionTime").asText()).isNotBlank();
        assertThat(manifest.path("request").asText()).contains("$export");
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        for (JsonNode output : manifest.path("output")) {
            assertThat(output.path("url").asText()).startsWith(fhirBase() + "/Binary/");
        }
        Map<String, List<IBaseResource>> exported = download(manifest);
        assertThat(ids(exported.get("Patient"))).containsExactlyInAnyOrder(
                ann.getIdPart(), bob.getIdPart(), cat.getIdPart());
        assertThat(exported.get("Observation")).hasSize(4)
                .allSatisfy(o -> assertThat(((Observation) o).getMeta().getTag(TAG_SYSTEM, run)).isNotNull());
    }

    @Test
    void typeFilterAndSinceNarrowTheExport() throws Exception {
        Map<String, List<IBaseResource>> heartRates = export("/$export?_type=Observation"
                + typeFilter("Observation", "&code=http://loinc.org|" + HEART_RATE));
        assertThat(heartRates).containsOnlyKeys("Observation");
        assertThat(heartRates.get("Observation")).hasSize(3).allSatisfy(o ->
                assertThat(((Observation) o).getCode().getCodingFirstRep().getCode()).isEqualTo(HEART_RATE));

        String since = lastObservation.getMeta().getLastUpdatedElement().getValueAsString();
        Map<String, List<IBaseResource>> recent = export("/$export?_type=Observation&_since="
                + URLEncoder.encode(since, StandardCharsets.UTF_8) + typeFilter("Observation"));
        assertThat(ids(recent.get("Observation"))).containsExactly(lastObservation.getIdElement().getIdPart());
    }

    /**
     * Patient level: a named patient's compartment through each of its search parameters (an Observation of Bob's
     * that Ann performed is Ann's too), the client's {@code _typeFilter} ANDed with it; for all patients, nothing
     * outside every patient's compartment (an Observation with no subject).
     */
    @Test
    void patientLevelExportsOnlyPatientCompartments() throws Exception {
        Observation performedByAnn = observation(bob, BODY_WEIGHT);
        performedByAnn.addPerformer(new Reference(ann));
        IdType shared = create(performedByAnn);
        Observation noSubject = observation(ann, HEART_RATE);
        noSubject.setSubject(null);
        IdType orphan = create(noSubject);

        Map<String, List<IBaseResource>> one = export("/Patient/" + ann.getIdPart()
                + "/$export?_type=Patient,Observation");
        assertThat(ids(one.get("Patient"))).containsExactly(ann.getIdPart());
        assertThat(one.get("Observation")).hasSize(3).allSatisfy(o -> assertThat(
                ((Observation) o).getSubject().getReferenceElement().getIdPart().equals(ann.getIdPart())
                        || o.getIdElement().getIdPart().equals(shared.getIdPart())).isTrue());

        Map<String, List<IBaseResource>> heartRate = export("/Patient/" + ann.getIdPart()
                + "/$export?_type=Observation" + typeFilter("Observation", "&code=http://loinc.org|" + HEART_RATE));
        assertThat(heartRate.get("Observation")).hasSize(1).allSatisfy(o ->
                assertThat(((Observation) o).getSubject().getReferenceElement().getIdPart()).isEqualTo(ann.getIdPart()));

        Map<String, List<IBaseResource>> all = export("/Patient/$export?_type=Patient,Observation"
                + typeFilter("Patient") + typeFilter("Observation"));
        assertThat(ids(all.get("Patient"))).containsExactlyInAnyOrder(
                ann.getIdPart(), bob.getIdPart(), cat.getIdPart());
        assertThat(ids(all.get("Observation"))).hasSize(5).contains(shared.getIdPart())
                .doesNotContain(orphan.getIdPart());

        Map<String, List<IBaseResource>> system = export("/$export?_type=Observation" + typeFilter("Observation"));
        assertThat(ids(system.get("Observation"))).hasSize(6).contains(orphan.getIdPart());
    }

    @Test
    void groupLevelExportsOnlyTheMembersData() throws Exception {
        Group group = new Group();
        group.setType(Group.GroupType.PERSON).setActual(true);
        group.addMember().setEntity(new Reference(ann));
        group.addMember().setEntity(new Reference(bob));
        IdType groupId = create(group);

        Map<String, List<IBaseResource>> exported = export("/Group/" + groupId.getIdPart()
                + "/$export?_type=Patient,Observation");
        assertThat(ids(exported.get("Patient"))).containsExactlyInAnyOrder(ann.getIdPart(), bob.getIdPart());
        assertThat(exported.get("Observation")).hasSize(3).allSatisfy(o ->
                assertThat(((Observation) o).getSubject().getReferenceElement().getIdPart())
                        .isIn(ann.getIdPart(), bob.getIdPart()));
    }

    /**
     * IG 2.0 "Error Status": a failed export answers 500 with an OperationOutcome (application/fhir+json), whose
     * diagnostics name the job and nothing of its error. A NUL in a _typeFilter passes the kick-off and fails the
     * job in the database, whose error quotes the SQL and the table names.
     */
    @Test
    void aFailedExportAnswers500WithAGenericOperationOutcome() throws Exception {
        String statusUrl = kickOff("/$export?_type=Patient&_typeFilter="
                + URLEncoder.encode("Patient?name=%00", StandardCharsets.UTF_8));
        String jobId = statusUrl.substring(statusUrl.indexOf("_jobId=") + "_jobId=".length());

        AtomicReference<HttpResponse<String>> failed = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> response = send(fhirGet(statusUrl).build());
            assertThat(response.statusCode()).as(response.body()).isIn(202, 500);
            failed.set(response);
            return response.statusCode() == 500;
        });
        assertThat(failed.get().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+json"));
        org.hl7.fhir.r4.model.OperationOutcome outcome = fhirContext.newJsonParser().parseResource(
                org.hl7.fhir.r4.model.OperationOutcome.class, failed.get().body());
        assertThat(outcome.getIssueFirstRep().getSeverity())
                .isEqualTo(org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity.ERROR);
        assertThat(outcome.getIssue()).singleElement().satisfies(issue -> assertThat(issue.getDiagnostics())
                .isEqualTo("The export failed; see the engine log for job " + jobId));
        assertThat(failed.get().body()).doesNotContainIgnoringCase("SQL").doesNotContain("HFJ_")
                .doesNotContain("HAPI-").doesNotContain("Exception");
    }

    /**
     * A failed export's search values stay out of the log above DEBUG (they are patient data): HAPI's job logs them
     * with the job's parameters and quotes the one it could not use in its error; a summary naming the job and the
     * error codes is logged instead.
     */
    @Test
    void aFailedExportLogsNoneOfItsSearchValuesAboveDebug() throws Exception {
        String marker = "zq" + run.replace("-", "");
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            String statusUrl = kickOff("/$export?_type=Patient&_typeFilter="
                    + URLEncoder.encode("Patient?birthdate=" + marker, StandardCharsets.UTF_8));
            String jobId = statusUrl.substring(statusUrl.indexOf("_jobId=") + "_jobId=".length());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    send(fhirGet(statusUrl).build()).statusCode() == 500);

            List<ILoggingEvent> events = List.copyOf(log.list);
            assertThat(events).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
                    .noneSatisfy(e -> assertThat(text(e)).contains(marker));
            assertThat(events).filteredOn(e -> e.getLevel() == Level.ERROR)
                    .anySatisfy(e -> assertThat(e.getFormattedMessage()).contains(jobId).contains("HAPI-"));
        } finally {
            root.detachAppender(log);
        }
    }

    /** A log event's message and the messages of its exception and causes. */
    private static String text(ILoggingEvent event) {
        StringBuilder text = new StringBuilder(event.getFormattedMessage());
        for (IThrowableProxy cause = event.getThrowableProxy(); cause != null; cause = cause.getCause()) {
            text.append('\n').append(cause.getMessage());
        }
        return text.toString();
    }

    @Test
    void deleteCancelsAnExportAndItsStatusIsThenGone() throws Exception {
        jobMaintenance.enableMaintenancePass(false);
        try {
            String statusUrl = kickOff("/$export?_type=Patient" + typeFilter("Patient"));
            HttpResponse<String> cancelled = http.send(request(statusUrl).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(cancelled.statusCode()).isEqualTo(202);
            HttpResponse<String> after = http.send(fhirGet(statusUrl).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(after.statusCode()).isEqualTo(404);
            assertThat(after.body()).contains("OperationOutcome");
        } finally {
            jobMaintenance.enableMaintenancePass(true);
        }
    }

    /**
     * IG 2.0 "Bulk Data Delete Request" after completion: the client is done with the files; 202, the files are
     * removed and the status URL answers 404 with an OperationOutcome from then on.
     */
    @Test
    void deleteAfterTheManifestRemovesTheFilesAndTheStatus() throws Exception {
        String statusUrl = kickOff("/$export?_type=Patient" + typeFilter("Patient"));
        JsonNode manifest = awaitManifest(statusUrl);
        assertThat(manifest.path("output")).isNotEmpty();

        HttpResponse<String> deleted = send(request(statusUrl).DELETE().build());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(202);
        assertThat(deleted.body()).contains("OperationOutcome");

        HttpResponse<String> after = send(fhirGet(statusUrl).build());
        assertThat(after.statusCode()).isEqualTo(404);
        assertThat(after.body()).contains("OperationOutcome");
        assertThat(send(request(statusUrl).DELETE().build()).statusCode()).as("deleted already").isEqualTo(404);
        for (JsonNode output : manifest.path("output")) {
            HttpResponse<String> file = send(ndjson(output.path("url").asText()));
            assertThat(file.statusCode()).as(file.body()).isIn(404, 410);
            assertThat(file.body()).doesNotContain("\"Bulk\"");
            HttpResponse<String> version = send(ndjson(output.path("url").asText() + "/_history/1"));
            assertThat(version.statusCode()).as("no earlier version left: %s", version.body()).isIn(404, 410);
            assertThat(version.body()).doesNotContain("\"Bulk\"");
        }
    }

    @Test
    void outputFilesAreNdjsonBehindTheServersAuthentication() throws Exception {
        JsonNode manifest = awaitManifest(kickOff("/$export?_type=Patient" + typeFilter("Patient")));
        String url = manifest.path("output").get(0).path("url").asText();
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "application/fhir+ndjson").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
        HttpResponse<String> file = http.send(ndjson(url),
                HttpResponse.BodyHandlers.ofString());
        assertThat(file.statusCode()).isEqualTo(200);
        assertThat(file.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/fhir+ndjson"));
        assertThat(file.body().lines()).hasSize(3);
    }

    /**
     * SMART Bulk Data Access IG 2.0: export is for backend services. An operator (basic auth) or a user/ app gets
     * 403 at kick-off (each level), poll, cancel and download, and the backend's export goes on untouched.
     */
    @Test
    void onlyABackendServiceExports() throws Exception {
        String statusUrl = kickOff("/$export?_type=Patient" + typeFilter("Patient"));
        String file = awaitManifest(statusUrl).path("output").get(0).path("url").asText();
        String user = "Bearer " + appToken(SmartTestClients.PRACTITIONER_USER, "user/*.rs", null)
                .get("access_token").asText();
        assertThat(send(fhirGet("/Patient/" + ann.getIdPart(), user).build()).statusCode())
                .as("the user/ token reads").isEqualTo(200);
        for (String authorization : List.of(engineer(), user)) {
            String who = authorization.startsWith("Basic") ? "operator" : "user/ token";
            for (String level : List.of("/$export?_type=Patient", "/Patient/$export?_type=Patient",
                    "/Patient/" + ann.getIdPart() + "/$export?_type=Patient")) {
                HttpResponse<String> kickOff = send(fhirGet(level, authorization)
                        .header("Prefer", "respond-async").build());
                assertThat(kickOff.statusCode()).as("%s by the %s: %s", level, who, kickOff.body()).isEqualTo(403);
            }
            assertThat(send(fhirGet(statusUrl, authorization).build()).statusCode()).as("poll by the %s", who)
                    .isEqualTo(403);
            assertThat(send(request(statusUrl, authorization).DELETE().build()).statusCode())
                    .as("cancel by the %s", who).isEqualTo(403);
            assertThat(send(ndjson(file, authorization)).statusCode()).as("download by the %s", who).isEqualTo(403);
        }
        assertThat(send(fhirGet(statusUrl).build()).statusCode()).isEqualTo(200);
        assertThat(send(ndjson(file)).statusCode()).isEqualTo(200);
    }

    /**
     * An export is the kicking-off client's own: another backend service with the same scopes can neither poll nor
     * cancel it (running or complete) nor download its files.
     */
    @Test
    void anotherBackendCannotPollCancelOrDownloadAnExport() throws Exception {
        String other = "Bearer " + backendToken(SmartTestClients.OTHER_BACKEND, SmartTestClients.OTHER_BACKEND_RSA_KEY,
                SmartTestClients.BACKEND_SCOPES);
        String statusUrl;
        jobMaintenance.enableMaintenancePass(false);
        try {
            statusUrl = kickOff("/$export?_type=Patient" + typeFilter("Patient"));
            assertThat(send(fhirGet(statusUrl, other).build()).statusCode()).isEqualTo(403);
            assertThat(send(request(statusUrl, other).DELETE().build()).statusCode()).isEqualTo(403);
            assertThat(send(fhirGet(statusUrl).build()).statusCode()).as("still running").isEqualTo(202);
        } finally {
            jobMaintenance.enableMaintenancePass(true);
        }

        JsonNode manifest = awaitManifest(statusUrl);
        assertThat(send(fhirGet(statusUrl, other).build()).statusCode()).isEqualTo(403);
        assertThat(send(request(statusUrl, other).DELETE().build()).statusCode()).isEqualTo(403);
        for (JsonNode output : manifest.path("output")) {
            assertThat(send(ndjson(output.path("url").asText(), other)).statusCode()).isEqualTo(403);
        }
        assertThat(send(fhirGet(statusUrl).build()).statusCode()).as("not cancelled").isEqualTo(200);
        assertThat(ids(download(manifest).get("Patient"))).containsExactlyInAnyOrder(
                ann.getIdPart(), bob.getIdPart(), cat.getIdPart());

        // the other backend's own export is its own to poll and download
        token = other.substring("Bearer ".length());
        assertThat(download(awaitManifest(kickOff("/$export?_type=Patient" + typeFilter("Patient")))).get("Patient"))
                .hasSize(3);
    }

    // -- the protocol

    private String kickOff(String path) throws Exception {
        HttpResponse<String> response = http.send(fhirGet(fhirBase() + path).header("Prefer", "respond-async").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        return response.headers().firstValue("Content-Location").orElseThrow();
    }

    private JsonNode awaitManifest(String statusUrl) {
        AtomicReference<HttpResponse<String>> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() -> {
            HttpResponse<String> response = http.send(fhirGet(statusUrl).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isIn(200, 202);
            last.set(response);
            return response.statusCode() == 200;
        });
        assertThat(last.get().headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        try {
            return json.readTree(last.get().body());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private Map<String, List<IBaseResource>> export(String path) throws Exception {
        return download(awaitManifest(kickOff(path)));
    }

    /** Every output file downloaded and each NDJSON line parsed back, per resource type. */
    private Map<String, List<IBaseResource>> download(JsonNode manifest) throws Exception {
        Map<String, List<IBaseResource>> byType = new HashMap<>();
        for (JsonNode output : manifest.path("output")) {
            HttpResponse<String> file = http.send(ndjson(output.path("url").asText()), HttpResponse.BodyHandlers.ofString());
            assertThat(file.statusCode()).isEqualTo(200);
            List<IBaseResource> resources = byType.computeIfAbsent(output.path("type").asText(),
                    type -> new ArrayList<>());
            assertThat(output.path("count").asLong()).as("count of %s", output)
                    .isEqualTo(file.body().lines().filter(line -> !line.isBlank()).count());
            file.body().lines().filter(line -> !line.isBlank()).forEach(line -> {
                IBaseResource resource = fhirContext.newJsonParser().parseResource(line);
                assertThat(fhirContext.getResourceType(resource)).isEqualTo(output.path("type").asText());
                resources.add(resource);
            });
        }
        return byType;
    }

    // -- data

    private HttpRequest.Builder request(String url) {
        return request(url, "Bearer " + token);
    }

    private HttpRequest.Builder request(String url, String authorization) {
        return HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : fhirBase() + url))
                .header("Authorization", authorization);
    }

    private HttpRequest.Builder fhirGet(String url) {
        return fhirGet(url, "Bearer " + token);
    }

    private HttpRequest.Builder fhirGet(String url, String authorization) {
        return request(url, authorization).header("Accept", "application/fhir+json").GET();
    }

    private HttpRequest ndjson(String url) {
        return ndjson(url, "Bearer " + token);
    }

    private HttpRequest ndjson(String url, String authorization) {
        return request(url, authorization).header("Accept", "application/fhir+ndjson").GET().build();
    }

    private String typeFilter(String type) {
        return typeFilter(type, "");
    }

    private String typeFilter(String type, String more) {
        return "&_typeFilter=" + URLEncoder.encode(type + "?_tag=" + TAG_SYSTEM + "|" + run + more,
                StandardCharsets.UTF_8);
    }

    private static List<String> ids(List<IBaseResource> resources) {
        assertThat(resources).isNotNull();
        return resources.stream().map(r -> r.getIdElement().getIdPart()).toList();
    }

    private IdType create(org.hl7.fhir.r4.model.Resource resource) {
        resource.getMeta().addTag(TAG_SYSTEM, run, null);
        return ((IdType) client.create().resource(resource).execute().getId()).toUnqualifiedVersionless();
    }

    private Patient patient(String given) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:carebus:test:mrn").setValue(UUID.randomUUID().toString());
        patient.addName().setFamily("Bulk").addGiven(given);
        return patient;
    }

    private static Observation observation(IdType patient, String loinc) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        observation.setSubject(new Reference(patient));
        return observation;
    }
}
