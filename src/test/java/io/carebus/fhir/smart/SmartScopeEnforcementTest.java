package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import au.csiro.fhir.auth.AuthConfig;
import au.csiro.fhir.auth.SMARTTokenCredentialFactory;
import au.csiro.fhir.auth.TokenCredentials;
import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SMART scopes enforced on the FHIR server (HAPI AuthorizationInterceptor + SearchNarrowingInterceptor). */
class SmartScopeEnforcementTest extends SmartHttpTestBase {

    private static final String OWN = SmartTestClients.PATIENT_ID;
    private static final String OTHER = "smart-other-1";

    @BeforeEach
    void data() {
        put("Patient/" + OWN, "{\"resourceType\":\"Patient\",\"id\":\"" + OWN + "\",\"name\":[{\"family\":\"Own\"}]}");
        put("Patient/" + OTHER, "{\"resourceType\":\"Patient\",\"id\":\"" + OTHER + "\",\"name\":[{\"family\":\"Other\"}]}");
        put("Observation/smart-obs-own", observation("smart-obs-own", OWN));
        put("Observation/smart-obs-other", observation("smart-obs-other", OTHER));
    }

    @Test
    void patientTokenReadsItsOwnRecord() {
        String token = patientToken("launch/patient patient/Patient.rs patient/Observation.rs");
        assertThat(fhir("GET", "Patient/" + OWN, token, null).statusCode()).isEqualTo(200);
        assertThat(fhir("GET", "Observation/smart-obs-own", token, null).statusCode()).isEqualTo(200);
        HttpResponse<String> search = fhir("GET", "Observation?patient=" + OWN, token, null);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(ids(search)).contains("smart-obs-own").doesNotContain("smart-obs-other");
    }

    @Test
    void patientTokenCannotSeeAnotherPatient() {
        String token = patientToken("launch/patient patient/Patient.rs patient/Observation.rs");
        assertThat(fhir("GET", "Observation/smart-obs-other", token, null).statusCode()).isEqualTo(403);
        assertThat(fhir("GET", "Patient/" + OTHER, token, null).statusCode()).isEqualTo(403);

        // searches are narrowed to the token's patient: nothing of the other patient comes back
        HttpResponse<String> all = fhir("GET", "Observation", token, null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(ids(all)).contains("smart-obs-own").doesNotContain("smart-obs-other");
        HttpResponse<String> theirs = fhir("GET", "Observation?patient=" + OTHER, token, null);
        assertThat(theirs.statusCode()).isIn(200, 403);
        if (theirs.statusCode() == 200) {
            assertThat(ids(theirs)).doesNotContain("smart-obs-other");
        }
        HttpResponse<String> patients = fhir("GET", "Patient", token, null);
        assertThat(ids(patients)).containsExactly(OWN);
    }

    @Test
    void everythingOnlyForThePatientInContext() {
        String token = patientToken("launch/patient patient/*.rs");
        HttpResponse<String> own = fhir("GET", "Patient/" + OWN + "/$everything", token, null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("smart-obs-own").doesNotContain("smart-obs-other");
        assertThat(fhir("GET", "Patient/" + OTHER + "/$everything", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void readAndSearchScopeCannotCreate() {
        String token = patientToken("launch/patient patient/Observation.rs");
        HttpResponse<String> create = fhir("POST", "Observation", token, observation(null, OWN));
        assertThat(create.statusCode()).as(create.body()).isEqualTo(403);
    }

    @Test
    void writeScopeCreatesForItsPatientOnly() {
        String token = patientToken("launch/patient patient/Observation.cruds");
        assertThat(fhir("POST", "Observation", token, observation(null, OWN)).statusCode()).isEqualTo(201);
        assertThat(fhir("POST", "Observation", token, observation(null, OTHER)).statusCode()).isEqualTo(403);
    }

    /**
     * A patient/ write reaches the patient's own record only: an Observation about the patient that also names
     * another patient (as performer: in that patient's compartment too) would be written into the other's record.
     */
    @Test
    void patientWriteScopeCannotWriteIntoAnotherPatientsCompartment() {
        String token = patientToken("launch/patient patient/Observation.cud");
        String alsoOther = observation(null, OWN).replace("\"valueQuantity\"",
                "\"performer\":[{\"reference\":\"Patient/" + OTHER + "\"}],\"valueQuantity\"");
        HttpResponse<String> created = fhir("POST", "Observation", token, alsoOther);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(403);
        HttpResponse<String> updated = fhir("PUT", "Observation/smart-obs-own", token,
                alsoOther.replace("{\"resourceType\":\"Observation\"", "{\"resourceType\":\"Observation\",\"id\":\"smart-obs-own\""));
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(403);
        HttpResponse<String> patched = send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation/smart-obs-own"))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                .header("Accept", "application/fhir+json").header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("[{\"op\":\"add\",\"path\":\"/performer\","
                        + "\"value\":[{\"reference\":\"Patient/" + OTHER + "\"}]}]")).build());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(403);
        assertThat(send("GET", "Observation?performer=Patient/" + OTHER, engineer(), null).body())
                .doesNotContain("smart-obs-own");
        // nor delete what is in the other patient's record as well
        put("Observation/smart-obs-shared", observation("smart-obs-shared", OWN).replace("\"valueQuantity\"",
                "\"performer\":[{\"reference\":\"Patient/" + OTHER + "\"}],\"valueQuantity\""));
        assertThat(fhir("DELETE", "Observation/smart-obs-shared", token, null).statusCode()).isEqualTo(403);
        assertThat(fhir("POST", "Observation", token, observation(null, OWN)).statusCode()).isEqualTo(201);
    }

    @Test
    void readScopeWithoutSearchCannotSearch() {
        String token = patientToken("launch/patient patient/Observation.r");
        assertThat(fhir("GET", "Observation/smart-obs-own", token, null).statusCode()).isEqualTo(200);
        assertThat(fhir("GET", "Observation", token, null).statusCode()).isEqualTo(403);
    }

    @Test
    void queryNarrowedScopeReadsOnlyMatchingResources() {
        put("Observation/smart-lab-own", observation("smart-lab-own", OWN).replace("\"status\"",
                "\"category\":[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
                        + "\"code\":\"laboratory\"}]}],\"status\""));
        String token = patientToken("launch/patient patient/Observation.rs?category=laboratory");
        assertThat(fhir("GET", "Observation/smart-lab-own", token, null).statusCode()).isEqualTo(200);
        assertThat(fhir("GET", "Observation/smart-obs-own", token, null).statusCode()).isEqualTo(403);
        HttpResponse<String> labs = fhir("GET", "Observation?category=laboratory", token, null);
        assertThat(labs.statusCode()).as(labs.body()).isEqualTo(200);
        assertThat(ids(labs)).containsExactly("smart-lab-own");
    }

    /**
     * SMART App Launch 2.0 §Finer-grained resource constraints: a query-narrowed scope's searches find (and count)
     * what its query allows, and a resource outside it neither refuses the search nor is counted.
     */
    @Test
    void queryNarrowedScopeSearchesAndCountsOnlyMatchingResources() {
        put("Observation/smart-lab-own", lab(observation("smart-lab-own", OWN)));
        String token = patientToken("launch/patient patient/Observation.rs?category=laboratory");
        HttpResponse<String> count = fhir("GET", "Observation?_summary=count", token, null);
        assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
        assertThat(json(count).get("total").asInt()).isEqualTo(1);
        HttpResponse<String> all = fhir("GET", "Observation?code=8867-4", token, null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(ids(all)).containsExactly("smart-lab-own");

        // two narrowed scopes on the same parameter: one search, OR of their values
        String either = patientToken("launch/patient patient/Observation.rs?category=laboratory "
                + "patient/Observation.rs?category=vital-signs");
        assertThat(json(fhir("GET", "Observation?_summary=count", either, null)).get("total").asInt()).isEqualTo(1);

        // on different parameters: results filtered one by one, counts refused
        String mixed = patientToken("launch/patient patient/Observation.rs?category=laboratory "
                + "patient/Observation.rs?status=amended");
        HttpResponse<String> filtered = fhir("GET", "Observation", mixed, null);
        assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(200);
        assertThat(ids(filtered)).containsExactly("smart-lab-own");
        assertThat(filtered.body()).doesNotContain("smart-obs-own");
        // no total counting what was left out
        assertThat(json(filtered).path("total").asInt(1)).as(filtered.body()).isEqualTo(1);
        for (String countQuery : List.of("Observation?_summary=count", "Observation?_total=accurate")) {
            HttpResponse<String> refused = fhir("GET", countQuery, mixed, null);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(json(refused).path("resourceType").asText()).isEqualTo("OperationOutcome");
        }
    }

    /**
     * The searches of a batch or transaction are narrowed by the scope's query as a search alone is: their counts
     * ({@code _summary=count}, {@code _total}) tell nothing of what the query leaves out, and where no single
     * search can say what the scopes allow, a count is refused.
     */
    @Test
    void queryNarrowedScopeCountsInABatchOrTransactionOnlyWhatItAllows() {
        put("Observation/smart-lab-own", lab(observation("smart-lab-own", OWN)));
        String token = patientToken("launch/patient patient/Observation.rs?category=laboratory");
        for (String type : List.of("batch", "transaction")) {
            HttpResponse<String> bundle = fhir("POST", "", token, bundle(type,
                    entry("GET", "Observation?_total=accurate", null),
                    entry("GET", "Observation?code=8867-4&_total=accurate", null),
                    entry("GET", "Observation", null)));
            assertThat(bundle.statusCode()).as(bundle.body()).isEqualTo(200);
            JsonNode entries = json(bundle).get("entry");
            assertThat(entries.get(0).at("/resource/total").asInt()).as(type).isEqualTo(1);
            assertThat(entries.get(1).at("/resource/total").asInt()).as(type).isEqualTo(1);
            assertThat(entries.get(2).at("/resource/entry")).extracting(e -> e.at("/resource/id").asText())
                    .as(type).containsExactly("smart-lab-own");
            // a count-only answer counts the allowed resources only
            HttpResponse<String> count = fhir("POST", "", token, bundle(type,
                    entry("GET", "Observation?_summary=count", null)));
            assertThat(count.statusCode()).as(count.body()).isEqualTo(200);
            assertThat(json(count).at("/entry/0/resource/total").asInt()).as(type).isEqualTo(1);
        }

        String mixed = patientToken("launch/patient patient/Observation.rs?category=laboratory "
                + "patient/Observation.rs?status=amended");
        for (String countQuery : List.of("Observation?_summary=count", "Observation?_total=accurate")) {
            HttpResponse<String> refused = fhir("POST", "", mixed, bundle("batch", entry("GET", countQuery, null)));
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(json(refused).path("resourceType").asText()).isEqualTo("OperationOutcome");
        }
        HttpResponse<String> filtered = fhir("POST", "", mixed, bundle("batch", entry("GET", "Observation", null)));
        assertThat(filtered.statusCode()).as(filtered.body()).isEqualTo(200);
        assertThat(filtered.body()).contains("smart-lab-own").doesNotContain("smart-obs-own");
    }

    /**
     * What {@code _include} and {@code _revinclude} bring of a query-narrowed type is filtered by the scope's query
     * like any other result: left out, not a refusal of the whole search (which would tell that it exists).
     */
    @Test
    void queryNarrowedScopeLeavesOutIncludedResourcesOutsideItsQuery() {
        put("Observation/smart-lab-panel-own", lab(observation("smart-lab-panel-own", OWN)).replace("\"valueQuantity\"",
                "\"hasMember\":[{\"reference\":\"Observation/smart-obs-own\"}],\"valueQuantity\""));
        put("Observation/smart-obs-panel-own", observation("smart-obs-panel-own", OWN).replace("\"valueQuantity\"",
                "\"hasMember\":[{\"reference\":\"Observation/smart-lab-panel-own\"}],\"valueQuantity\""));
        try {
            String token = patientToken("launch/patient patient/Observation.rs?category=laboratory");
            for (String query : List.of("Observation?category=laboratory&_include=Observation:has-member",
                    "Observation?_include=Observation:has-member",
                    "Observation?_revinclude=Observation:has-member")) {
                HttpResponse<String> search = fhir("GET", query, token, null);
                assertThat(search.statusCode()).as(query + ": " + search.body()).isEqualTo(200);
                assertThat(ids(search)).as(query).contains("smart-lab-panel-own")
                        .doesNotContain("smart-obs-own", "smart-obs-panel-own");
            }
            // in a batch the same
            HttpResponse<String> batch = fhir("POST", "", token, bundle("batch",
                    entry("GET", "Observation?_include=Observation:has-member", null)));
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            assertThat(json(batch).at("/entry/0/response/status").asText()).startsWith("200");
            assertThat(batch.body()).contains("smart-lab-panel-own")
                    .doesNotContain("\"smart-obs-own\"", "\"smart-obs-panel-own\"");
        } finally {
            // the other tests count the patient's laboratory Observations
            assertThat(send("DELETE", "Observation/smart-obs-panel-own", engineer(), null).statusCode()).isIn(200, 204);
            assertThat(send("DELETE", "Observation/smart-lab-panel-own", engineer(), null).statusCode()).isIn(200, 204);
        }
    }

    /**
     * What {@code _include} and {@code _revinclude} bring that the token may not see (another patient, a type
     * without a scope) is left out of the Bundle: a refusal of the whole search would tell that it exists and
     * break ordinary apps. The matches are the ones the token may see.
     */
    @Test
    void includedResourcesOutsideTheScopesAreLeftOut() {
        put("Practitioner/smart-prac-1", "{\"resourceType\":\"Practitioner\",\"id\":\"smart-prac-1\"}");
        put("Observation/smart-obs-performed-own", observation("smart-obs-performed-own", OWN).replace(
                "\"valueQuantity\"", "\"performer\":[{\"reference\":\"Practitioner/smart-prac-1\"},"
                        + "{\"reference\":\"Patient/" + OTHER + "\"}],\"valueQuantity\""));
        put("Encounter/smart-enc-own", "{\"resourceType\":\"Encounter\",\"id\":\"smart-enc-own\",\"status\":"
                + "\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/" + OWN + "\"}}");
        try {
            String patient = patientToken("launch/patient patient/Patient.rs patient/Observation.rs");
            HttpResponse<String> performers = fhir("GET",
                    "Observation?_id=smart-obs-performed-own&_include=Observation:performer", patient, null);
            assertThat(performers.statusCode()).as(performers.body()).isEqualTo(200);
            assertThat(ids(performers)).containsExactly("smart-obs-performed-own");
            HttpResponse<String> encounters = fhir("GET", "Patient?_revinclude=Encounter:subject", patient, null);
            assertThat(encounters.statusCode()).as(encounters.body()).isEqualTo(200);
            assertThat(ids(encounters)).containsExactly(OWN);
            HttpResponse<String> batch = fhir("POST", "", patient, bundle("batch",
                    entry("GET", "Observation?_id=smart-obs-performed-own&_include=Observation:performer", null)));
            assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
            assertThat(json(batch).at("/entry/0/response/status").asText()).startsWith("200");
            assertThat(json(batch).at("/entry/0/resource/entry")).extracting(e -> e.at("/resource/id").asText())
                    .containsExactly("smart-obs-performed-own");

            String user = userToken("user/Observation.rs user/Encounter.rs");
            for (String query : List.of("Observation?_id=smart-obs-performed-own&_include=Observation:performer",
                    "Observation?_id=smart-obs-performed-own&_include=Observation:subject",
                    "Encounter?_id=smart-enc-own&_include=Encounter:subject")) {
                HttpResponse<String> search = fhir("GET", query, user, null);
                assertThat(search.statusCode()).as(query + ": " + search.body()).isEqualTo(200);
                assertThat(ids(search)).as(query).hasSize(1).doesNotContain("smart-prac-1", OWN, OTHER);
            }
            // a token that may see the included resources gets them
            String all = userToken("user/Observation.rs user/Practitioner.rs user/Patient.rs");
            HttpResponse<String> full = fhir("GET",
                    "Observation?_id=smart-obs-performed-own&_include=Observation:performer", all, null);
            assertThat(ids(full)).containsExactlyInAnyOrder("smart-obs-performed-own", "smart-prac-1", OTHER);
        } finally {
            assertThat(send("DELETE", "Observation/smart-obs-performed-own", engineer(), null).statusCode())
                    .isIn(200, 204);
            assertThat(send("DELETE", "Encounter/smart-enc-own", engineer(), null).statusCode()).isIn(200, 204);
        }
    }

    /**
     * A count ({@code _summary=count}) or a search that finds nothing in a batch or transaction answers as the same
     * search alone does, narrowed to the token's patient: the entry's Bundle holds no resource to check against the
     * scopes, which refused the whole Bundle.
     */
    @Test
    void countsAndEmptySearchesInABatchOrTransactionAnswerForPatientTokens() {
        for (String scopes : List.of("launch/patient patient/Observation.rs", "launch/patient patient/*.rs")) {
            String token = patientToken(scopes);
            HttpResponse<String> alone = fhir("GET", "Observation?_summary=count", token, null);
            assertThat(alone.statusCode()).as(alone.body()).isEqualTo(200);
            int own = json(alone).get("total").asInt();
            assertThat(own).isPositive();
            for (String type : List.of("batch", "transaction")) {
                HttpResponse<String> bundle = fhir("POST", "", token, bundle(type,
                        entry("GET", "Observation?_summary=count", null),
                        entry("GET", "Observation?patient=" + OWN + "&_summary=count", null),
                        entry("GET", "Observation?code=no-such-code", null)));
                assertThat(bundle.statusCode()).as(scopes + " " + type + ": " + bundle.body()).isEqualTo(200);
                JsonNode entries = json(bundle).get("entry");
                assertThat(entries.get(0).at("/resource/total").asInt()).as(type).isEqualTo(own);
                assertThat(entries.get(1).at("/resource/total").asInt()).as(type).isEqualTo(own);
                assertThat(entries.get(2).at("/resource/total").asInt()).as(type).isZero();
            }
        }
        // the engine counts every patient's: the token's count is its patient's alone
        HttpResponse<String> everyone = send("GET", "Observation?_summary=count", engineer(), null);
        assertThat(json(everyone).get("total").asInt()).isGreaterThan(
                json(fhir("GET", "Observation?_summary=count", patientToken("launch/patient patient/*.rs"), null))
                        .get("total").asInt());
    }

    /**
     * {@code Patient/$everything} answers the patient's record as far as the scopes reach: resources outside a
     * scope's query, or of a type without a scope, are left out rather than refusing the whole answer.
     */
    @Test
    void everythingUnderNarrowScopesLeavesOutWhatTheyDoNotReach() {
        put("Observation/smart-lab-own", lab(observation("smart-lab-own", OWN)));
        put("Encounter/smart-enc-own", "{\"resourceType\":\"Encounter\",\"id\":\"smart-enc-own\",\"status\":"
                + "\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":{\"reference\":\"Patient/" + OWN + "\"}}");
        try {
            String token = patientToken("launch/patient patient/Patient.rs patient/Observation.rs?category=laboratory");
            HttpResponse<String> everything = fhir("GET", "Patient/" + OWN + "/$everything", token, null);
            assertThat(everything.statusCode()).as(everything.body()).isEqualTo(200);
            assertThat(ids(everything)).contains(OWN, "smart-lab-own")
                    .doesNotContain("smart-obs-own", "smart-enc-own", "smart-obs-other", OTHER);
            // a total would count what is left out
            assertThat(json(everything).path("total").asInt(ids(everything).size())).as(everything.body())
                    .isEqualTo(ids(everything).size());
            // page by page the same
            HttpResponse<String> first = fhir("GET", "Patient/" + OWN + "/$everything?_count=1", token, null);
            assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
            List<String> seen = new ArrayList<>(ids(first));
            String next = nextLink(first);
            while (next != null) {
                HttpResponse<String> page = get(next, "Authorization", "Bearer " + token,
                        "Accept", "application/fhir+json");
                assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
                seen.addAll(ids(page));
                next = nextLink(page);
            }
            assertThat(seen).contains(OWN, "smart-lab-own").doesNotContain("smart-obs-own", "smart-enc-own");
            assertThat(fhir("GET", "Patient/" + OTHER + "/$everything", token, null).statusCode()).isEqualTo(403);
        } finally {
            assertThat(send("DELETE", "Encounter/smart-enc-own", engineer(), null).statusCode()).isIn(200, 204);
        }
    }

    private static String nextLink(HttpResponse<String> bundle) {
        JsonNode links = json(bundle).get("link");
        if (links != null) {
            for (JsonNode link : links) {
                if (link.get("relation").asText().equals("next")) {
                    return link.get("url").asText();
                }
            }
        }
        return null;
    }

    /**
     * A saved search's next link ({@code _getpages}) is the searching client's, and needs search on its type: not
     * another client's, nor a token of the same client with read (r) but not search (s).
     */
    @Test
    void savedSearchPagesAreTheSearchingClientsOnly() {
        put("Observation/smart-obs-own-2", observation("smart-obs-own-2", OWN));
        String token = backendToken("system/*.rs");
        // _include keeps HAPI's saved-search paging
        HttpResponse<String> first = fhir("GET", "Observation?_include=Observation:subject&_count=1", token, null);
        assertThat(first.statusCode()).as(first.body()).isEqualTo(200);
        String next = null;
        for (JsonNode link : json(first).get("link")) {
            if (link.get("relation").asText().equals("next")) {
                next = link.get("url").asText();
            }
        }
        assertThat(next).as(first.body()).isNotNull().contains("_getpages=");
        HttpResponse<String> own = get(next, "Authorization", "Bearer " + token, "Accept", "application/fhir+json");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);

        String other = backendToken(SmartTestClients.OTHER_BACKEND, SmartTestClients.OTHER_BACKEND_RSA_KEY,
                "system/*.rs");
        HttpResponse<String> theirs = get(next, "Authorization", "Bearer " + other, "Accept", "application/fhir+json");
        assertThat(theirs.statusCode()).as(theirs.body()).isEqualTo(403);
        assertThat(theirs.body()).doesNotContain("\"resourceType\":\"Observation\"");

        String readOnly = backendToken("system/Observation.r system/Patient.r");
        HttpResponse<String> unsearchable = get(next, "Authorization", "Bearer " + readOnly,
                "Accept", "application/fhir+json");
        assertThat(unsearchable.statusCode()).as(unsearchable.body()).isEqualTo(403);
    }

    private static String lab(String observation) {
        return observation.replace("\"status\"", "\"category\":[{\"coding\":[{\"system\":"
                + "\"http://terminology.hl7.org/CodeSystem/observation-category\",\"code\":\"laboratory\"}]}],\"status\"");
    }

    @Test
    void systemPatientScopeSearchesPatientsButNotObservations() {
        String token = backendToken("system/Patient.rs");
        // by id: the shared store holds more Patients than a first page as other tests add theirs
        HttpResponse<String> patients = fhir("GET", "Patient?_id=" + OWN + "," + OTHER, token, null);
        assertThat(patients.statusCode()).as(patients.body()).isEqualTo(200);
        assertThat(ids(patients)).containsExactlyInAnyOrder(OWN, OTHER);
        assertThat(fhir("GET", "Observation", token, null).statusCode()).isEqualTo(403);
        assertThat(fhir("GET", "Observation/smart-obs-own", token, null).statusCode()).isEqualTo(403);
        assertThat(fhir("POST", "Patient", token, "{\"resourceType\":\"Patient\"}").statusCode()).isEqualTo(403);
    }

    @Test
    void exportNeedsASystemScope() {
        String patient = patientToken("launch/patient patient/*.rs");
        HttpResponse<String> r = exportKickOff("$export", patient);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(exportKickOff("Patient/$export", patient).statusCode()).isEqualTo(403);
    }

    /** Bulk Data Access IG: a backend service with system/ scopes kicks off, polls and downloads with its token. */
    @Test
    void aBackendServiceExportsWithItsSystemToken() {
        String token = backendToken("system/*.rs");
        JsonNode manifest = exportManifest("Patient/$export?_type=Patient", token);
        assertThat(manifest.path("requiresAccessToken").asBoolean()).isTrue();
        String file = manifest.path("output").get(0).path("url").asText();
        HttpResponse<String> ndjson = get(file, "Authorization", "Bearer " + token, "Accept", "application/fhir+ndjson");
        assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(200);
        assertThat(ndjson.body()).contains("\"id\":\"" + OWN + "\"", "\"id\":\"" + OTHER + "\"");
        // the output file is not for a patient-scoped app
        assertThat(get(file, "Authorization", "Bearer " + patientToken("launch/patient patient/*.rs"),
                "Accept", "application/fhir+ndjson").statusCode()).isEqualTo(403);
    }

    /**
     * A backend with a type-specific system scope needs no Binary scope for its export files (Bulk Data Access IG:
     * the kick-off's token reads them), and that reaches its own export files only: not another Binary, not
     * another backend's files.
     */
    @Test
    void aTypeScopedBackendDownloadsItsOwnExportFilesOnly() {
        String token = backendToken("system/Patient.rs");
        String file = exportManifest("Patient/$export?_type=Patient", token).path("output").get(0).path("url").asText();
        HttpResponse<String> ndjson = get(file, "Authorization", "Bearer " + token, "Accept", "application/fhir+ndjson");
        assertThat(ndjson.statusCode()).as(ndjson.body()).isEqualTo(200);
        assertThat(ndjson.body()).contains("\"id\":\"" + OWN + "\"");

        HttpResponse<String> binary = send("POST", "Binary", engineer(),
                "{\"resourceType\":\"Binary\",\"contentType\":\"text/plain\",\"data\":\"bm90IGFuIGV4cG9ydA==\"}");
        assertThat(binary.statusCode()).as(binary.body()).isEqualTo(201);
        assertThat(fhir("GET", "Binary/" + json(binary).get("id").asText(), token, null).statusCode()).isEqualTo(403);

        String other = backendToken(SmartTestClients.OTHER_BACKEND, SmartTestClients.OTHER_BACKEND_RSA_KEY,
                "system/Patient.rs");
        assertThat(get(file, "Authorization", "Bearer " + other, "Accept", "application/fhir+ndjson").statusCode())
                .isEqualTo(403);
    }

    /** Kicks off, polls until complete (Awaitility), answers the manifest. */
    private JsonNode exportManifest(String path, String token) {
        HttpResponse<String> kickOff = exportKickOff(path, token);
        assertThat(kickOff.statusCode()).as(kickOff.body()).isEqualTo(202);
        String status = kickOff.headers().firstValue("Content-Location").orElseThrow();
        java.util.concurrent.atomic.AtomicReference<HttpResponse<String>> last = new java.util.concurrent.atomic.AtomicReference<>();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    last.set(get(status, "Authorization", "Bearer " + token));
                    assertThat(last.get().statusCode()).as(last.get().body()).isIn(200, 202);
                    return last.get().statusCode() == 200;
                });
        return json(last.get());
    }

    private HttpResponse<String> exportKickOff(String path, String bearer) {
        return send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/fhir+json")
                .header("Prefer", "respond-async").GET().build());
    }

    @Test
    void capabilityStatementIsPublicAndDeclaresSmart() {
        HttpResponse<String> r = get("/fhir/metadata");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("SMART-on-FHIR", SmartCapabilityStatementInterceptor.OAUTH_URIS, tokenEndpoint());
    }

    /** A SMART backend client library (au.csiro.fhir:fhir-auth) discovers our endpoints and gets a token. */
    @Test
    void backendClientLibraryGetsATokenAndReadsData() throws Exception {
        RSAKey key = new RSAKey.Builder(SmartTestClients.BACKEND_RSA_KEY).algorithm(JWSAlgorithm.RS384).build();
        AuthConfig config = AuthConfig.builder().enabled(true).useSMART(true).clientId(SmartTestClients.BACKEND)
                .privateKeyJWK(key.toJSONString()).scope("system/Patient.rs").build();
        try (SMARTTokenCredentialFactory factory = SMARTTokenCredentialFactory.create(config)) {
            TokenCredentials credentials = factory.createCredentials(URI.create(fhirBase()), config).orElseThrow();
            String token = credentials.getToken().getAccessToken();
            HttpResponse<String> patient = fhir("GET", "Patient/" + OWN, token, null);
            assertThat(patient.statusCode()).isEqualTo(200);
            assertThat(fhir("GET", "Observation/smart-obs-own", token, null).statusCode()).isEqualTo(403);
        }
    }

    private String patientToken(String scope) {
        JsonNode response = appToken(SmartTestClients.PATIENT_USER, scope, null);
        assertThat(response.get("patient").asText()).isEqualTo(OWN);
        return response.get("access_token").asText();
    }

    /** Subscription/$status and $events: a Subscription read scope, and for $events' focus resources their own. */
    @Test
    void subscriptionOperationsNeedSubscriptionReadAndTheEventsTheirFocusScope() throws Exception {
        // a subscriber that answers: one whose notifications fail is put in error (R4 Subscription.status) and
        // records no more events
        com.sun.net.httpserver.HttpServer subscriber = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        subscriber.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        subscriber.start();
        try {
            subscriptionOperations("http://127.0.0.1:" + subscriber.getAddress().getPort() + "/hook");
        } finally {
            subscriber.stop(0);
        }
    }

    private void subscriptionOperations(String endpoint) {
        String topic = "http://carebus.io/fhir/SubscriptionTopic/lab-result";
        String backport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
        HttpResponse<String> created = send("POST", "Subscription", engineer(), """
                {"resourceType":"Subscription","status":"requested","reason":"labs",
                 "meta":{"profile":["%sbackport-subscription"]},"criteria":"%s",
                 "_criteria":{"extension":[{"url":"%sbackport-filter-criteria","valueString":"Observation?patient=Patient/%s"}]},
                 "channel":{"type":"rest-hook","endpoint":"%s","payload":"application/fhir+json",
                  "_payload":{"extension":[{"url":"%sbackport-payload-content","valueCode":"full-resource"}]}}}"""
                .formatted(backport, topic, backport, OWN, endpoint, backport));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String subscription = "Subscription/" + json(created).get("id").asText();
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                json(send("GET", subscription, engineer(), null)).get("status").asText().equals("active"));
        String lab = observation(null, OWN).replace("\"status\":\"final\"", "\"status\":\"final\",\"category\":"
                + "[{\"coding\":[{\"system\":\"http://terminology.hl7.org/CodeSystem/observation-category\","
                + "\"code\":\"laboratory\"}]}]");
        assertThat(send("POST", "Observation", engineer(), lab).statusCode()).isEqualTo(201);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                send("GET", subscription + "/$events", engineer(), null).body().contains("Observation/"));

        String subscriptionsOnly = backendToken("system/Subscription.rs");
        HttpResponse<String> status = fhir("GET", subscription + "/$status", subscriptionsOnly, null);
        assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
        assertThat(fhir("GET", subscription + "/$events", subscriptionsOnly, null).statusCode()).isEqualTo(403);
        // id-only names the focus resources: their ids need the focus type's read scope too
        assertThat(fhir("GET", subscription + "/$events?content=id-only", subscriptionsOnly, null).statusCode())
                .isEqualTo(403);
        assertThat(fhir("GET", subscription + "/$events?content=id-only",
                backendToken("system/Subscription.rs system/Observation.rs?category=laboratory"), null).statusCode())
                .isEqualTo(403);
        HttpResponse<String> empty = fhir("GET", subscription + "/$events?content=empty", subscriptionsOnly, null);
        assertThat(empty.statusCode()).as(empty.body()).isEqualTo(200);
        assertThat(empty.body()).contains("query-event").doesNotContain("\"name\":\"focus\"");
        HttpResponse<String> references = fhir("GET", subscription + "/$events?content=id-only",
                backendToken("system/Subscription.rs system/Observation.rs"), null);
        assertThat(references.statusCode()).as(references.body()).isEqualTo(200);
        assertThat(references.body()).contains("Observation/").doesNotContain("\"resourceType\":\"Observation\"");

        HttpResponse<String> events = fhir("GET", subscription + "/$events",
                backendToken("system/Subscription.rs system/Observation.rs"), null);
        assertThat(events.statusCode()).as(events.body()).isEqualTo(200);
        assertThat(events.body()).contains("query-event", "\"resourceType\":\"Observation\"");

        String patient = patientToken("launch/patient patient/*.rs");
        assertThat(fhir("GET", subscription + "/$status", patient, null).statusCode()).isEqualTo(403);
        assertThat(fhir("GET", subscription + "/$events", patient, null).statusCode()).isEqualTo(403);
    }

    /** SMART App Launch 2.x §Scopes: a transaction or batch entry needs what the same request alone would. */
    @Test
    void createScopeCannotUpdateThroughATransactionOrBatch() {
        String token = patientToken("launch/patient patient/Observation.c");
        String update = entry("PUT", "Observation/smart-obs-own", observation("smart-obs-own", OWN));
        HttpResponse<String> transaction = fhir("POST", "", token, bundle("transaction", update));
        assertThat(transaction.statusCode()).as(transaction.body()).isEqualTo(403);
        assertThat(transaction.body()).contains("OperationOutcome");
        // a PUT may create, which c allows: a batch entry is refused when HAPI would replace, that entry alone
        HttpResponse<String> batch = fhir("POST", "", token, bundle("batch", update));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(json(batch).at("/entry/0/response/status").asText()).startsWith("403");
        // a PUT that creates is a create: c allows it, u alone does not
        String newId = "smart-obs-" + java.util.UUID.randomUUID();
        String upsert = entry("PUT", "Observation/" + newId, observation(newId, OWN));
        HttpResponse<String> created = fhir("POST", "", token, bundle("transaction", upsert));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
        String updateOnly = patientToken("launch/patient patient/Observation.u");
        String anotherId = "smart-obs-" + java.util.UUID.randomUUID();
        String another = entry("PUT", "Observation/" + anotherId, observation(anotherId, OWN));
        HttpResponse<String> refused = fhir("POST", "", updateOnly, bundle("transaction", another));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        HttpResponse<String> post = fhir("POST", "", token,
                bundle("transaction", entry("POST", "Observation", observation(null, OWN))));
        assertThat(post.statusCode()).as(post.body()).isEqualTo(200);
    }

    @Test
    void readScopeCannotSearchThroughABatchOrASystemSearch() {
        String token = patientToken("launch/patient patient/Observation.r");
        HttpResponse<String> search = fhir("POST", "", token, bundle("batch", entry("GET", "Observation?patient=" + OWN, null)));
        assertThat(search.statusCode()).as(search.body()).isEqualTo(403);
        // a Bundle that searches nothing is not narrowed: HAPI would make this read a search
        HttpResponse<String> read = fhir("POST", "", token, bundle("batch", entry("GET", "Observation/smart-obs-own", null)));
        assertThat(read.statusCode()).as(read.body()).isEqualTo(200);
        assertThat(read.body()).contains("smart-obs-own");

        // system-level: the history of the server, a system search in a batch
        String backend = backendToken("system/Observation.r");
        HttpResponse<String> history = fhir("GET", "_history?_type=Observation", backend, null);
        assertThat(history.statusCode()).as(history.body()).isEqualTo(403);
        assertThat(fhir("POST", "", backend, bundle("batch", entry("GET", "?_type=Observation", null))).statusCode())
                .isEqualTo(403);
        // every type needs s: Patient is not within system/Observation.rs, nor are all types
        String searcher = backendToken("system/Observation.rs");
        assertThat(fhir("GET", "_history?_type=Observation,Patient", searcher, null).statusCode()).isEqualTo(403);
        assertThat(fhir("GET", "_history", searcher, null).statusCode()).isEqualTo(403);
        HttpResponse<String> types = fhir("GET", "Observation/_history?_count=1", searcher, null);
        assertThat(types.statusCode()).as(types.body()).isEqualTo(200);
    }

    /** A patient/ search scope next to a user/ read scope: the search is still the patient's only. */
    @Test
    void patientSearchScopeBesideAUserReadScopeSearchesThePatientOnly() {
        JsonNode response = appToken(SmartTestClients.PRACTITIONER_USER,
                "launch/patient patient/Observation.s user/Observation.r", OWN);
        assertThat(response.get("patient").asText()).isEqualTo(OWN);
        String token = response.get("access_token").asText();
        HttpResponse<String> search = fhir("GET", "Observation", token, null);
        assertThat(search.statusCode()).as(search.body()).isEqualTo(200);
        assertThat(ids(search)).contains("smart-obs-own").doesNotContain("smart-obs-other");
        HttpResponse<String> batch = fhir("POST", "", token, bundle("batch", entry("GET", "Observation", null)));
        assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
        assertThat(batch.body()).contains("smart-obs-own").doesNotContain("smart-obs-other");
        // the user/ read scope reads any Observation by id, as it says
        assertThat(fhir("GET", "Observation/smart-obs-other", token, null).statusCode()).isEqualTo(200);
        // a type's history cannot be narrowed to a patient: it needs a user/ or system/ s
        assertThat(fhir("GET", "Observation/_history", token, null).statusCode()).isEqualTo(403);

        String userSearch = appToken(SmartTestClients.PRACTITIONER_USER,
                "launch/patient patient/Observation.rs user/Observation.s", OWN).get("access_token").asText();
        HttpResponse<String> all = fhir("GET", "Observation", userSearch, null);
        assertThat(all.statusCode()).as(all.body()).isEqualTo(200);
        assertThat(ids(all)).contains("smart-obs-own", "smart-obs-other");
    }

    /** A patient/ create scope beside a user/ update scope creates in the patient's compartment only. */
    @Test
    void patientCreateScopeBesideAUserUpdateScopeCreatesForThePatientOnly() {
        String token = appToken(SmartTestClients.PRACTITIONER_USER,
                "launch/patient patient/Observation.c user/Observation.u", OWN).get("access_token").asText();
        assertThat(fhir("POST", "Observation", token, observation(null, OWN)).statusCode()).isEqualTo(201);
        HttpResponse<String> other = fhir("POST", "Observation", token, observation(null, OTHER));
        assertThat(other.statusCode()).as(other.body()).isEqualTo(403);
        assertThat(fhir("PUT", "Observation/smart-obs-other", token, observation("smart-obs-other", OTHER))
                .statusCode()).isEqualTo(200);
    }

    /**
     * A conditional create, update or delete searches before it writes (FHIR R4 http.html#cond-update): it needs s
     * too, and with a patient/ s the condition matches in the patient's compartment only, so the answer never
     * carries, nor tells of, another patient's resource.
     */
    @Test
    void conditionalInteractionsMatchOnlyWhatTheTokenMaySearch() {
        String shared = "urn:test:obs|shared-" + java.util.UUID.randomUUID();
        put("Observation/smart-obs-other", identified(observation("smart-obs-other", OTHER), shared));
        String condition = "identifier=" + shared;

        String createOnly = patientToken("launch/patient patient/Observation.c");
        HttpResponse<String> probed = conditionalCreate(createOnly, identified(observation(null, OWN), shared), condition);
        assertThat(probed.statusCode()).as(probed.body()).isEqualTo(403);
        assertThat(probed.body()).doesNotContain("smart-obs-other");
        assertThat(probed.headers().firstValue("Location")).isEmpty();
        String practitionerCreateOnly = userToken("user/Observation.c");
        assertThat(conditionalCreate(practitionerCreateOnly, identified(observation(null, OTHER), shared), condition)
                .statusCode()).isEqualTo(403);
        HttpResponse<String> inBundle = fhir("POST", "", createOnly, bundle("transaction",
                "{\"resource\":" + identified(observation(null, OWN), shared)
                        + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\",\"ifNoneExist\":\"" + condition + "\"}}"));
        assertThat(inBundle.statusCode()).as(inBundle.body()).isEqualTo(403);
        assertThat(inBundle.body()).doesNotContain("smart-obs-other");

        // with s from a patient/ scope the condition is the patient's: no match, a new Observation of theirs
        String searcher = patientToken("launch/patient patient/Observation.cds");
        HttpResponse<String> created = conditionalCreate(searcher, identified(observation(null, OWN), shared), condition);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("smart-obs-other").contains(OWN);
        HttpResponse<String> again = conditionalCreate(searcher, identified(observation(null, OWN), shared), condition);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(json(again).get("id").asText()).isEqualTo(json(created).get("id").asText());
        // a conditional delete deletes the patient's match, not the other patient's
        HttpResponse<String> deleted = fhir("DELETE", "Observation?" + condition.replace("|", "%7C"), searcher, null);
        assertThat(deleted.statusCode()).as(deleted.body()).isIn(200, 204);
        assertThat(send("GET", "Observation/smart-obs-other", engineer(), null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "Observation/" + json(created).get("id").asText(), engineer(), null).statusCode())
                .isEqualTo(410);
        assertThat(fhir("DELETE", "Observation?" + condition.replace("|", "%7C"), patientToken("launch/patient patient/Observation.d"), null)
                .statusCode()).isEqualTo(403);
        // so is the condition of a transaction entry
        HttpResponse<String> entry = fhir("POST", "", searcher, bundle("transaction",
                "{\"resource\":" + identified(observation(null, OWN), shared)
                        + ",\"request\":{\"method\":\"POST\",\"url\":\"Observation\",\"ifNoneExist\":\"" + condition + "\"}}"));
        assertThat(entry.statusCode()).as(entry.body()).isEqualTo(200);
        assertThat(json(entry).at("/entry/0/response/status").asText()).startsWith("201");
        assertThat(entry.body()).doesNotContain("smart-obs-other");
    }

    /**
     * Chained parameters and {@code _has} find resources by the content of other types (FHIR R4
     * search.html#chaining, #has): they need s on those types as well.
     */
    @Test
    void chainedAndReverseChainedSearchesNeedSearchOnTheTypesTheyLookInto() {
        // finding Observations by their patient's name tells Patient data to a token without a Patient scope
        String observations = userToken("user/Observation.rs");
        HttpResponse<String> chained = fhir("GET", "Observation?subject:Patient.name=Other", observations, null);
        assertThat(chained.statusCode()).as(chained.body()).isEqualTo(403);
        assertThat(chained.body()).doesNotContain("smart-obs-other");
        assertThat(fhir("GET", "Observation?patient.name=Other", observations, null).statusCode()).isEqualTo(403);
        assertThat(postSearch("Observation/_search", observations, "patient.name=Other").statusCode())
                .isEqualTo(403);
        assertThat(fhir("POST", "", observations, bundle("batch", entry("GET", "Observation?patient.name=Other", null)))
                .statusCode()).isEqualTo(403);
        // and Patient scopes alone do not tell which patients have an Observation with a given code
        String patients = userToken("user/Patient.rs");
        HttpResponse<String> has = fhir("GET", "Patient?_has:Observation:subject:code=8867-4", patients, null);
        assertThat(has.statusCode()).as(has.body()).isEqualTo(403);

        String both = userToken("user/Observation.rs user/Patient.rs");
        HttpResponse<String> allowed = fhir("GET", "Observation?subject:Patient.name=Other", both, null);
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(200);
        assertThat(ids(allowed)).containsExactly("smart-obs-other");
        assertThat(ids(fhir("GET", "Patient?_has:Observation:subject:code=8867-4", both, null))).contains(OWN, OTHER);

        // a patient/ token's search is narrowed to its patient: its patient/ scopes serve the chain
        String own = patientToken("launch/patient patient/Observation.rs patient/Patient.rs");
        HttpResponse<String> ownChain = fhir("GET", "Observation?subject:Patient.name=Own", own, null);
        assertThat(ownChain.statusCode()).as(ownChain.body()).isEqualTo(200);
        assertThat(ids(ownChain)).contains("smart-obs-own").doesNotContain("smart-obs-other");
        // but not that of a search a user/ scope leaves un-narrowed
        String mixed = appToken(SmartTestClients.PRACTITIONER_USER,
                "launch/patient user/Observation.rs patient/Patient.rs", OWN).get("access_token").asText();
        assertThat(fhir("GET", "Observation?subject:Patient.name=Other", mixed, null).statusCode()).isEqualTo(403);
    }

    /**
     * The audit trail is for auditors (/api/audit/events) and engine operators: no SMART scope reaches it, not even
     * user/*.rs or system/*.rs, whether by its type, a system-level search or history, a Bundle or a bulk export.
     */
    @Test
    void noScopeReachesTheAuditTrail() {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> send("GET", "_history?_count=20", engineer(), null).body()
                        .contains("\"resourceType\":\"AuditEvent\""));
        String user = userToken("user/*.rs");
        String backend = backendToken("system/*.rs");
        for (String token : List.of(user, backend)) {
            HttpResponse<String> search = fhir("GET", "AuditEvent?_count=5", token, null);
            assertThat(search.statusCode()).as(search.body()).isEqualTo(403);
            assertThat(search.body()).doesNotContain("\"resourceType\":\"AuditEvent\"");
            assertThat(fhir("GET", "AuditEvent/_history", token, null).statusCode()).isEqualTo(403);
            assertThat(fhir("GET", "_history?_type=AuditEvent", token, null).statusCode()).isEqualTo(403);
            HttpResponse<String> batch = fhir("POST", "", token, bundle("batch", entry("GET", "AuditEvent", null)));
            assertThat(batch.body()).doesNotContain("\"resourceType\":\"AuditEvent\"");
        }
        // the server's history holds the audit trail (HAPI's takes no _type): a type's history serves instead
        HttpResponse<String> history = fhir("GET", "_history?_count=20", backend, null);
        assertThat(history.statusCode()).as(history.body()).isEqualTo(403);
        assertThat(history.body()).doesNotContain("\"resourceType\":\"AuditEvent\"");
        assertThat(fhir("GET", "Observation/_history?_count=1", backend, null).statusCode()).isEqualTo(200);

        assertThat(exportKickOff("$export?_type=AuditEvent", backend).statusCode()).isEqualTo(403);
        JsonNode everything = exportManifest("$export", backend);
        assertThat(everything.path("output").findValuesAsText("type")).isNotEmpty().doesNotContain("AuditEvent");
        // an engine operator still reads it through /fhir
        assertThat(send("GET", "AuditEvent?_count=1", engineer(), null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> conditionalCreate(String bearer, String body, String ifNoneExist) {
        return send(HttpRequest.newBuilder(URI.create(fhirBase() + "/Observation")).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/fhir+json").header("Prefer", "return=representation")
                .header("If-None-Exist", ifNoneExist).POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private static String identified(String observation, String systemAndValue) {
        int bar = systemAndValue.indexOf('|');
        return observation.replace("\"status\"", "\"identifier\":[{\"system\":\"" + systemAndValue.substring(0, bar)
                + "\",\"value\":\"" + systemAndValue.substring(bar + 1) + "\"}],\"status\"");
    }

    /** A Subscription delivers what it matches: subscribing needs r and s on those types, not only Subscription.c. */
    @Test
    void subscribingNeedsReadAndSearchOnWhatTheSubscriptionDelivers() {
        String criteria = subscription("Observation?code=http://loinc.org|8867-4", false);
        String topic = subscription("http://carebus.io/fhir/SubscriptionTopic/lab-result", true);
        String subscriptionsOnly = userToken("user/Subscription.cruds");
        for (String body : List.of(criteria, topic)) {
            HttpResponse<String> refused = fhir("POST", "Subscription", subscriptionsOnly, body);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(json(refused).path("resourceType").asText()).isEqualTo("OperationOutcome");
        }
        String readOnly = userToken("user/Subscription.cruds user/Observation.r");
        assertThat(fhir("POST", "Subscription", readOnly, topic).statusCode()).isEqualTo(403);
        assertThat(fhir("POST", "", subscriptionsOnly, bundle("transaction", entry("POST", "Subscription", criteria)))
                .statusCode()).isEqualTo(403);

        String reader = userToken("user/Subscription.cruds user/Observation.rs");
        List<String> created = new ArrayList<>();
        try {
            for (String body : List.of(criteria, topic)) {
                HttpResponse<String> r = fhir("POST", "Subscription", reader, body);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
                created.add("Subscription/" + json(r).get("id").asText());
            }
            // nor may an update point an existing subscription at what the token cannot read
            String id = created.get(0).substring("Subscription/".length());
            String retargeted = subscription("Patient?name=Other", false)
                    .replace("{\"resourceType\":\"Subscription\",", "{\"resourceType\":\"Subscription\",\"id\":\"" + id + "\",");
            HttpResponse<String> update = fhir("PUT", created.get(0), reader, retargeted);
            assertThat(update.statusCode()).as(update.body()).isEqualTo(403);
        } finally {
            created.forEach(s -> send("DELETE", s, engineer(), null));
        }
    }

    private String userToken(String scope) {
        return appToken(SmartTestClients.PRACTITIONER_USER, scope, null).get("access_token").asText();
    }

    private static String subscription(String criteria, boolean topic) {
        String backport = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
        return "{\"resourceType\":\"Subscription\",\"status\":\"requested\",\"reason\":\"scope test\","
                + (topic ? "\"meta\":{\"profile\":[\"" + backport + "backport-subscription\"]}," : "")
                + "\"criteria\":\"" + criteria + "\","
                + (topic ? "\"_criteria\":{\"extension\":[{\"url\":\"" + backport + "backport-filter-criteria\","
                        + "\"valueString\":\"Observation?patient=Patient/" + OWN + "\"}]}," : "")
                + "\"channel\":{\"type\":\"rest-hook\","
                + "\"endpoint\":\"http://localhost:9/none\",\"payload\":\"application/fhir+json\""
                + (topic ? ",\"_payload\":{\"extension\":[{\"url\":\"" + backport + "backport-payload-content\","
                        + "\"valueCode\":\"full-resource\"}]}" : "")
                + "}}";
    }

    private static String bundle(String type, String... entries) {
        return "{\"resourceType\":\"Bundle\",\"type\":\"" + type + "\",\"entry\":[" + String.join(",", entries) + "]}";
    }

    private static String entry(String method, String url, String resource) {
        return "{" + (resource == null ? "" : "\"resource\":" + resource + ",")
                + "\"request\":{\"method\":\"" + method + "\",\"url\":\"" + url + "\"}}";
    }

    private static String observation(String id, String patient) {
        return "{\"resourceType\":\"Observation\"" + (id == null ? "" : ",\"id\":\"" + id + "\"")
                + ",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]}"
                + ",\"subject\":{\"reference\":\"Patient/" + patient + "\"},\"valueQuantity\":{\"value\":72}}";
    }

    private void put(String path, String body) {
        HttpResponse<String> r = send("PUT", path, engineer(), body);
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private HttpResponse<String> fhir(String method, String path, String bearer, String body) {
        return send(method, path, "Bearer " + bearer, body);
    }

    /** A POST with a form body ({@code Type/_search}). */
    private HttpResponse<String> postSearch(String path, String bearer, String form) {
        return send(HttpRequest.newBuilder(URI.create(fhirBase() + "/" + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/fhir+json")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
    }

    private static List<String> ids(HttpResponse<String> bundle) {
        List<String> ids = new ArrayList<>();
        JsonNode entries = json(bundle).get("entry");
        if (entries != null) {
            entries.forEach(e -> ids.add(e.get("resource").get("id").asText()));
        }
        return ids;
    }
}
