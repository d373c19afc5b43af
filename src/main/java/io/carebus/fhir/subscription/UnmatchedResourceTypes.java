package io.carebus.fhir.subscription;

import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.subscription.model.ResourceModifiedMessage;

/**
 * Keeps the changes of some resource types ({@code carebus.fhir.subscriptions.unmatched-resource-types}) out of
 * subscription matching. HAPI otherwise records every change in HFJ_RESOURCE_MODIFIED within the write's transaction
 * and later reads the resource back to match it: for the AuditEvent written on every access, that was a quarter of
 * the server's CPU under a read load, to match nothing.
 */
@Interceptor
public class UnmatchedResourceTypes {

    private final FhirContext fhirContext;
    private final Set<String> types;

    public UnmatchedResourceTypes(FhirContext fhirContext, Set<String> types) {
        this.fhirContext = fhirContext;
        this.types = Set.copyOf(types);
    }

    /** Returning false stops HAPI from submitting the change for matching. */
    @Hook(Pointcut.SUBSCRIPTION_RESOURCE_MODIFIED)
    public boolean submitForMatching(ResourceModifiedMessage message) {
        return !types.contains(message.getResourceType(fhirContext));
    }
}
