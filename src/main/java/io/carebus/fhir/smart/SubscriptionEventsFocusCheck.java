package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;

/**
 * {@code Subscription/$events} with {@code content=id-only}: the answer names each event's focus (its type, id and
 * version) without the resource, so HAPI's response rules, which check resources, see nothing to check. The ids
 * are the caller's only if it may read those resources: a user/ or system/ read scope on the focus type, not
 * narrowed by a query (the query cannot be evaluated without the resource). Otherwise 403, as for
 * {@code full-resource}.
 */
@Interceptor
public class SubscriptionEventsFocusCheck {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void checkFocusReferences(RequestDetails request, IBaseResource response) {
        if (!"$events".equals(request.getOperation()) || !(response instanceof Bundle bundle)) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || access.get().operator()) {
            return;   // no access: the authorization rules denied already; an operator reads everything
        }
        SmartScopes scopes = access.get().scopes();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() || !entry.getRequest().hasUrl()) {
                continue;   // resources are checked by the authorization rules
            }
            String type = new IdType(entry.getRequest().getUrl()).getResourceType();
            if (type == null || !(scopes.permitsWhole(ScopeContext.USER, type, Permission.READ)
                    || scopes.permitsWhole(ScopeContext.SYSTEM, type, Permission.READ))) {
                throw new ForbiddenOperationException("The granted SMART scopes do not allow reading " + type
                        + ", the focus of this subscription's events");
            }
        }
    }
}
