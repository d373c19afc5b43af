package io.carebus.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own FHIR server as an outbound destination (type {@code fhir} with {@code url: local}): a transaction
 * Bundle is applied in-process by HAPI's system DAO, in one database transaction, with the same storage rules
 * (US Core validation, subscriptions) as a transaction POSTed to {@code /fhir}, and no HTTP hop or credentials.
 */
public class LocalFhirStore {

    private static final Logger log = LoggerFactory.getLogger(LocalFhirStore.class);

    private final FhirContext fhirContext;
    private final IFhirSystemDao<Bundle, ?> systemDao;

    public LocalFhirStore(FhirContext fhirContext, IFhirSystemDao<Bundle, ?> systemDao) {
        this.fhirContext = fhirContext;
        this.systemDao = systemDao;
    }

    /** Applies a transaction (or batch) Bundle given as FHIR JSON; returns the transaction-response Bundle JSON. */
    public String transaction(String bundleJson) {
        Bundle request = fhirContext.newJsonParser().parseResource(Bundle.class, bundleJson);
        Bundle response = systemDao.transaction(new SystemRequestDetails(), request);
        log.debug("Stored a {} of {} entries", request.getType(), request.getEntry().size());
        return fhirContext.newJsonParser().encodeResourceToString(response);
    }
}
