package io.carebus.fhir.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Retires the AuditEvent search parameters the audit trail is never searched by. HAPI JPA indexes every standard
 * search parameter of every resource it stores; a stored SearchParameter with the same URL and status
 * {@code retired} switches a standard one off. The AuditEvent written on every access then costs the index rows of
 * the parameters kept ({@code carebus.fhir.audit.indexed-search-parameters}), not some twenty.
 */
public class AuditEventSearchParameters {

    private static final Logger log = LoggerFactory.getLogger(AuditEventSearchParameters.class);

    private final FhirContext fhirContext;
    private final DaoRegistry daoRegistry;
    private final SearchParamRegistryImpl searchParamRegistry;
    private final Set<String> indexed;

    public AuditEventSearchParameters(FhirContext fhirContext, DaoRegistry daoRegistry,
            SearchParamRegistryImpl searchParamRegistry, Set<String> indexed) {
        this.fhirContext = fhirContext;
        this.daoRegistry = daoRegistry;
        this.searchParamRegistry = searchParamRegistry;
        this.indexed = Set.copyOf(indexed);
    }

    /** The retired definitions: every standard AuditEvent parameter not kept. */
    public List<SearchParameter> retired() {
        List<SearchParameter> retired = new ArrayList<>();
        for (RuntimeSearchParam param : fhirContext.getResourceDefinition("AuditEvent").getSearchParams()) {
            if (indexed.contains(param.getName()) || param.getName().startsWith("_") || param.getUri() == null) {
                continue;
            }
            SearchParameter sp = new SearchParameter();
            sp.setId("AuditEvent-" + param.getName());
            sp.setUrl(param.getUri());
            sp.setName(param.getName());
            sp.setCode(param.getName());
            sp.addBase("AuditEvent");
            sp.setType(Enumerations.SearchParamType.fromCode(param.getParamType().getCode()));
            sp.setExpression(param.getPath());
            sp.setDescription("Not indexed by Carebus: the audit trail is searched by date, action, outcome and tags.");
            sp.setStatus(Enumerations.PublicationStatus.RETIRED);
            retired.add(sp);
        }
        return retired;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void install() {
        IFhirResourceDao<SearchParameter> dao = daoRegistry.getResourceDao(SearchParameter.class);
        int written = 0;
        for (SearchParameter sp : retired()) {
            try {
                if (alreadyRetired(dao, sp)) {
                    continue;
                }
                dao.update(sp, withoutReindex());
                written++;
            } catch (RuntimeException e) {
                // the engine still runs: the parameter just stays indexed
                log.warn("AuditEvent search parameter {} not retired: {}", sp.getCode(), e.toString());
            }
        }
        if (written > 0) {
            searchParamRegistry.forceRefresh();
        }
        log.info("AuditEvent indexed by {}; {} other standard search parameters retired ({} newly)",
                indexed, retired().size(), written);
    }

    /**
     * A retired parameter needs no reindex: its old index rows are simply never read again. Without this HAPI
     * starts a reindex job of every AuditEvent per parameter, which on a first start competes with the first
     * requests for minutes.
     */
    private static SystemRequestDetails withoutReindex() {
        SystemRequestDetails request = new SystemRequestDetails();
        request.getUserData().put(JpaConstants.SKIP_REINDEX_ON_UPDATE, Boolean.TRUE);
        return request;
    }

    private static boolean alreadyRetired(IFhirResourceDao<SearchParameter> dao, SearchParameter sp) {
        try {
            return dao.read(sp.getIdElement(), new SystemRequestDetails()).getStatus()
                    == Enumerations.PublicationStatus.RETIRED;
        } catch (ResourceNotFoundException | ca.uhn.fhir.rest.server.exceptions.ResourceGoneException e) {
            return false;
        }
    }
}
