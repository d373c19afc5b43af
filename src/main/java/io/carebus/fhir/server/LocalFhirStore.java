package io.carebus.fhir.server;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.carebus.conversion.spine.ReplaySafeEntries;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's own FHIR server as an outbound destination (type {@code fhir} with {@code url: local}): a transaction
 * Bundle is applied in-process by HAPI's system DAO, in one database transaction, with the same storage rules
 * (US Core validation, subscriptions) as a transaction POSTed to {@code /fhir}, and no HTTP hop or credentials.
 * <p>
 * Applying the same message twice stores nothing twice. The converted entries are conditional on a business
 * identifier where the message has one; an entry without one (a plain {@code POST}, e.g. an Encounter whose PV1
 * has no visit number, or the message's Provenance) is stored under an id of its own made from its deterministic
 * {@code urn:uuid} and the bundle's timestamp (MSH-7), as an update-as-create ({@code PUT Type/id}, FHIR R4
 * http.html#upsert; see {@link ReplaySafeEntries}). A replay, or a redelivery after the store committed but before
 * the delivery was recorded, then finds it and leaves it as it is, instead of creating a second Encounter.
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
        int keyed = ReplaySafeEntries.putUnderOwnIds(request);
        Bundle response = systemDao.transaction(new SystemRequestDetails(), request);
        log.debug("Stored a {} of {} entries ({} under their own ids)", request.getType(), request.getEntry().size(),
                keyed);
        return fhirContext.newJsonParser().encodeResourceToString(response);
    }
}
