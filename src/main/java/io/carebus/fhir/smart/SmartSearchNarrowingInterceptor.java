package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Narrows a search to the Patient compartment of the token's patient (HAPI adds {@code patient=Patient/<id>}, or
 * {@code _id} on Patient) unless a user/ or system/ scope grants search (s) on the type searched. Permissions are
 * told apart by context (SMART App Launch 2.x §Scopes): with {@code patient/Observation.s user/Observation.r} an
 * Observation search is the patient's, though the user/ read scope lets HAPI's rules pass any Observation.
 * <p>
 * HAPI narrows a batch or transaction with one list for all its entries: if one searched type is searchable only
 * through a patient/ scope, every search in that Bundle is narrowed. System-level searches and histories are never
 * narrowed: {@link SmartPermissionInterceptor} lets them through only with user/ or system/ s scopes.
 */
public class SmartSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    public SmartSearchNarrowingInterceptor() {
        // the search of a conditional create (If-None-Exist), update, patch or delete is narrowed like any other:
        // a patient/ token's condition matches in its patient's compartment only
        setNarrowConditionalUrls(true);
    }

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || !access.get().hasPatient()) {
            return null;
        }
        boolean narrow = searchedTypes(request).stream()
                .anyMatch(type -> !access.get().permitsAnyInstance(type, Permission.SEARCH));
        return narrow ? new AuthorizedList().addCompartment("Patient/" + access.get().patientId()) : null;
    }

    /**
     * The type of a search (or of {@code Patient/$everything}, or of a conditional interaction), or the types searched
     * by a Bundle's entries, their conditions included.
     */
    private static List<String> searchedTypes(RequestDetails request) {
        List<String> types = new ArrayList<>();
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH) {
            if (request.getResource() instanceof Bundle bundle) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    ScopeRequirement.of(entry, request.getFhirServerBase())
                            .filter(ScopeRequirement::isNarrowableSearch)
                            .ifPresent(needed -> types.addAll(needed.types()));
                    ScopeRequirement.conditionalMatch(entry).ifPresent(needed -> types.addAll(needed.types()));
                }
            }
        } else if (request.getResourceName() != null) {
            types.add(request.getResourceName());
        }
        return types;
    }
}
