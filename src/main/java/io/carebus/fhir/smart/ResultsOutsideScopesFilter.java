package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.interceptor.auth.AuthorizationInterceptor;
import ca.uhn.fhir.rest.server.interceptor.auth.PolicyEnum;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Leaves out of an answer what the token may not see where the answer is a set the token did not name resource by
 * resource, instead of refusing it whole (which tells that such a resource exists, and fails ordinary apps):
 * <ul>
 *   <li>what {@code _include} and {@code _revinclude} bring to a search or its pages (another patient's
 *       resource, a type without a scope): included resources are the server's to choose (FHIR R4 search.html#include),
 *       and the scopes are the limit of what an app sees (SMART App Launch 2.x §Scopes);</li>
 *   <li>{@code Patient/$everything} and its pages (FHIR R4 patient-operation-everything: the record the caller is
 *       authorized to see): the patient's record as far as the scopes reach.</li>
 * </ul>
 * Each resource is judged by {@link SmartAuthorizationInterceptor}'s own rules. The matches of a search are not
 * filtered here: one the token may not see still refuses the search, as the rules do.
 */
@Interceptor
public class ResultsOutsideScopesFilter {

    private static final String EVERYTHING = "$everything";

    private final AuthorizationInterceptor rules;

    public ResultsOutsideScopesFilter(AuthorizationInterceptor rules) {
        this.rules = rules;
    }

    /** Before the authorization rules (order 0), which would refuse the whole answer for one such resource. */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -50)
    public void filter(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null) {
            return;
        }
        boolean everything = isEverything(request);
        if (!everything && !isSearch(request.getRestOperationType())) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || access.get().operator()) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource == null || (!everything && !isIncluded(resource))) {
                continue;
            }
            AuthorizationInterceptor.Verdict verdict = rules.applyRulesAndReturnDecision(
                    request.getRestOperationType(), request, null, null, resource, Pointcut.STORAGE_PRESHOW_RESOURCES);
            if (verdict == null || verdict.getDecision() != PolicyEnum.ALLOW) {
                details.setResource(i, null);
            }
        }
    }

    /**
     * A {@code Patient/$everything}'s total counts what {@link #filter} leaves out, on this page or another: not
     * told to a token (Bundle.total is optional, FHIR R4 bundle.html#searchset).
     */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean leaveOutEverythingTotal(RequestDetails request, ResponseDetails response) {
        if (isEverything(request) && response.getResponseResource() instanceof Bundle bundle
                && SmartAuthorizationInterceptor.access(request).filter(a -> !a.operator()).isPresent()) {
            bundle.setTotalElement(null);
        }
        return true;
    }

    private static boolean isSearch(RestOperationTypeEnum operation) {
        return operation == RestOperationTypeEnum.SEARCH_TYPE || operation == RestOperationTypeEnum.SEARCH_SYSTEM
                || operation == RestOperationTypeEnum.GET_PAGE;
    }

    private static boolean isEverything(RequestDetails request) {
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation == RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE
                || operation == RestOperationTypeEnum.EXTENDED_OPERATION_TYPE) {
            return EVERYTHING.equals(request.getOperation());
        }
        return operation == RestOperationTypeEnum.GET_PAGE && SavedSearchOwner.isEverythingPage(request);
    }

    /** HAPI marks each resource a search loads as a match or an include; one not marked counts as an include. */
    private static boolean isIncluded(IBaseResource resource) {
        return ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(resource) != BundleEntrySearchModeEnum.MATCH;
    }
}
