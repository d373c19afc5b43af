package io.carebus.fhir.smart;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeResourceDefinition;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r5.model.StringType;
import org.hl7.fhir.r5.model.SubscriptionTopic;

/**
 * A Subscription delivers the resources it matches, of every patient, to its endpoint: a SMART token may create or
 * change one only if it could read and search those resources itself. SMART App Launch 2.x §Scopes grants access
 * per resource type; a {@code Subscription.c} scope alone would otherwise read any type through notifications.
 * <p>
 * The types are those of the criteria of an R4 subscription ({@code Observation?code=...}; {@code [*]} or
 * {@code [Observation,Condition]} for HAPI's multi-type criteria), or of the topic of a topic-based one
 * (Subscriptions R5 Backport IG: the topic's resource triggers and notification shapes, with the types their
 * includes bring). Each needs r and s from a user/ or system/ scope not narrowed by a query: a notification carries
 * resources of any patient, and a scope's query cannot be checked on what is pushed. Otherwise 403. Engine operators
 * (basic auth) are not checked; a subscription whose topic is unknown is refused, as its types cannot be told.
 */
@Interceptor
public class SubscriptionReadScopeCheck {

    /** Subscription.meta.profile of a topic-based subscription (Subscriptions R5 Backport IG 1.1.0). */
    static final String TOPIC_SUBSCRIPTION_PROFILE =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription";
    private static final Pattern ONE_TYPE = Pattern.compile("^([A-Z][A-Za-z]+)(\\?.*)?$");
    private static final Pattern MULTI_TYPE = Pattern.compile("^\\[([^\\]]+)\\](\\?.*)?$");

    private final Function<String, Optional<SubscriptionTopic>> topics;

    /** @param topics the subscription topic with a canonical URL, as HAPI's topic registry holds it */
    public SubscriptionReadScopeCheck(Function<String, Optional<SubscriptionTopic>> topics) {
        this.topics = topics;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void subscriptionCreated(RequestDetails request, IBaseResource resource) {
        check(request, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void subscriptionUpdated(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        check(request, resource);
    }

    private void check(RequestDetails request, IBaseResource resource) {
        if (!(resource instanceof Subscription subscription) || request == null) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || access.get().operator()) {
            return;
        }
        SmartScopes scopes = access.get().scopes();
        Set<String> types = isTopicBased(subscription)
                ? topicTypes(request.getFhirContext(), subscription.getCriteria())
                : criteriaTypes(subscription.getCriteria());
        if (types.isEmpty()) {
            throw new ForbiddenOperationException("The resource types this subscription delivers cannot be told, "
                    + "so the granted SMART scopes cannot be checked against them");
        }
        for (String type : types) {
            if (!readsAndSearches(scopes, type)) {
                throw new ForbiddenOperationException("A subscription on " + (SmartScope.ANY_TYPE.equals(type)
                        ? "every resource type" : type) + " needs a user/ or system/ scope with read and search "
                        + "on it, not narrowed by a query");
            }
        }
    }

    private static boolean readsAndSearches(SmartScopes scopes, String type) {
        return (scopes.permitsWhole(ScopeContext.USER, type, Permission.READ)
                || scopes.permitsWhole(ScopeContext.SYSTEM, type, Permission.READ))
                && (scopes.permitsWhole(ScopeContext.USER, type, Permission.SEARCH)
                || scopes.permitsWhole(ScopeContext.SYSTEM, type, Permission.SEARCH));
    }

    static boolean isTopicBased(Subscription subscription) {
        return subscription.getMeta().getProfile().stream()
                .anyMatch(p -> TOPIC_SUBSCRIPTION_PROFILE.equals(p.getValue()));
    }

    /** {@code Observation?...} → Observation; {@code [A,B]?...} → A, B; {@code [*]} → *; anything else: none. */
    static Set<String> criteriaTypes(String criteria) {
        Set<String> types = new LinkedHashSet<>();
        String c = criteria == null ? "" : criteria.trim();
        Matcher one = ONE_TYPE.matcher(c);
        Matcher multi = MULTI_TYPE.matcher(c);
        if (one.matches()) {
            types.add(one.group(1));
        } else if (multi.matches()) {
            for (String t : multi.group(1).split(",")) {
                types.add(t.trim());
            }
        }
        return types;
    }

    private Set<String> topicTypes(FhirContext fhirContext, String topicUrl) {
        Set<String> types = new LinkedHashSet<>();
        Optional<SubscriptionTopic> topic = topicUrl == null ? Optional.empty() : topics.apply(topicUrl);
        if (topic.isEmpty()) {
            return types;
        }
        topic.get().getResourceTrigger().forEach(t -> types.add(typeName(t.getResource())));
        for (SubscriptionTopic.SubscriptionTopicNotificationShapeComponent shape : topic.get().getNotificationShape()) {
            types.add(typeName(shape.getResource()));
            for (StringType include : shape.getInclude()) {
                types.addAll(includedTypes(fhirContext, include.getValue(), false));
            }
            for (StringType include : shape.getRevInclude()) {
                types.addAll(includedTypes(fhirContext, include.getValue(), true));
            }
        }
        types.remove(null);
        return types;
    }

    /** {@code Observation} or {@code http://hl7.org/fhir/StructureDefinition/Observation} → Observation. */
    private static String typeName(String resource) {
        if (resource == null || resource.isBlank()) {
            return null;
        }
        return resource.substring(resource.lastIndexOf('/') + 1);
    }

    /**
     * The types an {@code _include} ({@code Source:param[:Target]}, the param's targets, every type when it has
     * none) or a {@code _revinclude} (the source) brings.
     */
    private static Set<String> includedTypes(FhirContext fhirContext, String include, boolean reverse) {
        String[] parts = include == null ? new String[0] : include.split(":");
        if (parts.length < 2) {
            return Set.of(SmartScope.ANY_TYPE);
        }
        if (reverse) {
            return Set.of(parts[0]);
        }
        if (parts.length > 2) {
            return Set.of(parts[2]);
        }
        RuntimeSearchParam param;
        try {
            RuntimeResourceDefinition source = fhirContext.getResourceDefinition(parts[0]);
            param = source.getSearchParam(parts[1]);
        } catch (ca.uhn.fhir.parser.DataFormatException unknownType) {
            param = null;
        }
        if (param == null || param.getTargets().isEmpty()) {
            return Set.of(SmartScope.ANY_TYPE);
        }
        return Set.copyOf(param.getTargets());
    }
}
