package io.carebus.fhir.audit;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.SortOrderEnum;
import ca.uhn.fhir.rest.api.SortSpec;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.param.DateRangeParam;
import ca.uhn.fhir.rest.param.TokenParam;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The audit trail for auditors: {@code GET /api/audit/events} searches the stored AuditEvents, newest first, and
 * answers a FHIR searchset Bundle. Read-only; role AUDITOR or ENGINEER. Reading it is not itself audited.
 */
@ConditionalOnFhirServer
@RestController
@RequestMapping("/api/audit")
@ConditionalOnProperty(prefix = "carebus.fhir.audit", name = "enabled", matchIfMissing = true)
public class AuditEventsController {

    private static final String FHIR_JSON = "application/fhir+json;charset=UTF-8";

    private final IFhirResourceDao<AuditEvent> dao;
    private final FhirContext fhirContext;
    private final AuditProperties properties;

    public AuditEventsController(DaoRegistry daoRegistry, FhirContext fhirContext, AuditProperties properties) {
        this.dao = daoRegistry.getResourceDao(AuditEvent.class);
        this.fhirContext = fhirContext;
        this.properties = properties;
    }

    /**
     * @param patient a patient id ({@code 123} or {@code Patient/123})
     * @param user the user's name
     * @param client the OAuth2 client id
     * @param outcome 0 success, 4 minor failure, 8 serious failure
     * @param action C, R, U, D or E
     * @param since recorded at or after (FHIR date/dateTime)
     * @param until recorded at or before
     */
    @GetMapping(path = "/events", produces = {"application/fhir+json", "application/json"})
    public ResponseEntity<String> events(@RequestParam(required = false) String patient,
            @RequestParam(required = false) String user, @RequestParam(required = false) String client,
            @RequestParam(required = false) String outcome, @RequestParam(required = false) String action,
            @RequestParam(required = false) String since, @RequestParam(required = false) String until,
            @RequestParam(name = "_count", defaultValue = "50") int count) {
        int limit = Math.max(1, Math.min(count, properties.getMaxResults()));
        SearchParameterMap search = SearchParameterMap.newSynchronous();
        search.setLoadSynchronousUpTo(limit);
        if (patient != null && !patient.isBlank()) {
            search.add("_tag", new TokenParam(QueuedAuditEventSink.PATIENT_SYSTEM,
                    patient.startsWith("Patient/") ? patient : "Patient/" + patient));
        }
        if (user != null && !user.isBlank()) {
            search.add("_tag", new TokenParam(AuditIdentities.USER_SYSTEM, user));
        }
        if (client != null && !client.isBlank()) {
            search.add("_tag", new TokenParam(AuditIdentities.CLIENT_SYSTEM, client));
        }
        if (outcome != null && !outcome.isBlank()) {
            search.add(AuditEvent.SP_OUTCOME, new TokenParam(outcome));
        }
        if (action != null && !action.isBlank()) {
            search.add(AuditEvent.SP_ACTION, new TokenParam(action));
        }
        if (since != null || until != null) {
            search.add(AuditEvent.SP_DATE, new DateRangeParam(since, until));
        }
        search.setSort(new SortSpec(AuditEvent.SP_DATE, SortOrderEnum.DESC));

        IBundleProvider found = dao.search(search, new SystemRequestDetails());
        List<IBaseResource> events = found.getResources(0, limit);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.SEARCHSET);
        bundle.setTotal(events.size());
        for (IBaseResource event : events) {
            bundle.addEntry().setFullUrl(event.getIdElement().toUnqualifiedVersionless().getValue())
                    .setResource((Resource) event);
        }
        return ResponseEntity.ok().header("Content-Type", FHIR_JSON)
                .body(fhirContext.newJsonParser().encodeResourceToString(bundle));
    }
}
