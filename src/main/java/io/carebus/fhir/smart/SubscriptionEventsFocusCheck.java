package io.carebus.fhir.smart;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Reference;

/**
 * {@code Subscription/$events}: the SubscriptionStatus names each event's focus (type and id), and with
 * {@code content=id-only} the entries name it too, without the resource; a full-resource answer leaves out a focus
 * deleted since, but its SubscriptionStatus still names it. HAPI's response rules check resources, so they see
 * nothing to check there. The ids are the caller's only if it may read those resources: a user/ or system/ read
 * scope on the focus type, not narrowed by a query (the query cannot be evaluated without the resource).
 * Otherwise 403, as for a full-resource answer holding a resource the scopes do not allow.
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
        Set<String> included = new HashSet<>();   // checked by the authorization rules
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.hasResource() && !(entry.getResource() instanceof Parameters)) {
                included.add(entry.getResource().getIdElement().toUnqualifiedVersionless().getValue());
            }
        }
        for (String focus : focusReferences(bundle)) {
            if (included.contains(focus)) {
                continue;
            }
            String type = new IdType(focus).getResourceType();
            if (type == null || !(scopes.permitsWhole(ScopeContext.USER, type, Permission.READ)
                    || scopes.permitsWhole(ScopeContext.SYSTEM, type, Permission.READ))) {
                throw new ForbiddenOperationException("The granted SMART scopes do not allow reading " + type
                        + ", the focus of this subscription's events");
            }
        }
    }

    /** Backport IG SubscriptionStatus: {@code notification-event.focus} of the status, and the entries' request URLs. */
    private static Set<String> focusReferences(Bundle bundle) {
        Set<String> focus = new LinkedHashSet<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() instanceof Parameters status) {
                for (Parameters.ParametersParameterComponent event : status.getParameter()) {
                    if (!"notification-event".equals(event.getName())) {
                        continue;
                    }
                    for (Parameters.ParametersParameterComponent part : event.getPart()) {
                        if ("focus".equals(part.getName()) && part.getValue() instanceof Reference reference) {
                            focus.add(new IdType(reference.getReference()).toUnqualifiedVersionless().getValue());
                        }
                    }
                }
            } else if (!entry.hasResource() && entry.getRequest().hasUrl()) {
                focus.add(new IdType(entry.getRequest().getUrl()).toUnqualifiedVersionless().getValue());
            }
        }
        return focus;
    }
}
