package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizedList;
import ca.uhn.fhir.rest.server.interceptor.auth.SearchNarrowingInterceptor;

/**
 * Narrows the searches of a caller that holds only patient/ scopes to the Patient compartment of the token's
 * patient (HAPI adds {@code patient=Patient/<id>}, or {@code _id} on Patient), so a patient app's search finds
 * that patient's data alone instead of failing on other patients' resources.
 */
public class SmartSearchNarrowingInterceptor extends SearchNarrowingInterceptor {

    @Override
    protected AuthorizedList buildAuthorizedList(RequestDetails request) {
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || !access.get().hasPatient()) {
            return null;
        }
        SmartScopes scopes = access.get().scopes();
        if (scopes.hasContext(ScopeContext.USER) || scopes.hasContext(ScopeContext.SYSTEM)) {
            return null;   // wider scopes: the authorization rules alone decide
        }
        return new AuthorizedList().addCompartment("Patient/" + access.get().patientId());
    }
}
