package io.carebus.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * History paging over real HTTP while writes go on between the pages: the pages are those of the first page's
 * moment (FHIR R4 http.html#history: "the server SHOULD return ... the history as of the time of the first
 * request"), no entry repeated, none skipped.
 */
class HistoryPagingTest extends EngineTestBase {

    @LocalServerPort
    int port;
    @Autowired
    FhirContext fhirContext;

    IGenericClient client;

    @BeforeEach
    void client() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
    }

    @Test
    void typeHistoryPagesAreThoseOfTheFirstPagesMoment() {
        String kind = UUID.randomUUID().toString();
        List<String> written = write(kind, 5);
        String since = since(written.get(0));

        List<String> seen = pagesWritingBetween("Basic/_history?_since=" + since + "&_count=2", kind);

        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void typeHistoryOffsetPagesAreThoseOfTheFirstPagesMoment() {
        String kind = UUID.randomUUID().toString();
        List<String> written = write(kind, 5);
        String since = since(written.get(0));

        List<String> seen = pagesWritingBetween("Basic/_history?_since=" + since + "&_count=2&_offset=0", kind);

        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void serverHistoryPagesAreThoseOfTheFirstPagesMoment() {
        String kind = UUID.randomUUID().toString();
        List<String> written = write(kind, 5);
        String since = since(written.get(0));

        List<String> seen = pagesWritingBetween("_history?_since=" + since + "&_count=2", kind);

        // other writes of the engine (its audit trail) may be in the server's history: none of them twice, none of
        // the ones written after the first page
        assertThat(seen).doesNotHaveDuplicates().containsAll(written);
        assertThat(seen).noneMatch(id -> id.contains("after-first-page"));
    }

    /** Reads every page of {@code query}, writing three more Basic resources after each page. */
    private List<String> pagesWritingBetween(String query, String kind) {
        List<String> seen = new ArrayList<>();
        Bundle page = client.search().byUrl("http://localhost:" + port + "/fhir/" + query)
                .returnBundle(Bundle.class).execute();
        // unbounded, the list would grow faster than it is read: a page more at each page
        for (int pages = 0; pages < 20; pages++) {
            page.getEntry().forEach(e -> seen.add(versioned(e)));
            write(kind + "-after-first-page", 3);
            if (page.getLink(Bundle.LINK_NEXT) == null) {
                return seen;
            }
            page = client.loadPage().next(page).execute();
        }
        throw new AssertionError("still a next page after 20 pages: " + seen);
    }

    private static String versioned(Bundle.BundleEntryComponent entry) {
        IdType id = entry.getResource().getIdElement();
        String versioned = id.getResourceType() + "/" + id.getIdPart() + "/_history/" + id.getVersionIdPart();
        return entry.getResource() instanceof Basic basic
                ? versioned + " " + basic.getCode().getCodingFirstRep().getCode() : versioned;
    }

    /** Writes {@code n} Basic resources of code {@code kind}; returns them as {@link #versioned} names them. */
    private List<String> write(String kind, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Basic basic = new Basic().setCode(new CodeableConcept(new Coding("urn:carebus:test:history", kind, null)));
            IdType id = (IdType) client.create().resource(basic).execute().getId();
            ids.add("Basic/" + id.getIdPart() + "/_history/" + id.getVersionIdPart() + " " + kind);
        }
        return ids;
    }

    /** The lastUpdated of the resource {@code written} names, as a _since value. */
    private String since(String written) {
        String id = written.substring(0, written.indexOf("/_history"));
        Basic basic = client.read().resource(Basic.class).withId(id).execute();
        return new InstantType(basic.getMeta().getLastUpdated()).getValueAsString().replace("+", "%2B");
    }
}
