package io.carebus.fhir.subscription;

import java.util.Date;
import java.util.List;
import java.util.Set;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.Operation;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * {@code GET|POST [base]/Subscription/[id]/$events} (Subscriptions R5 Backport IG 1.1.0, OperationDefinition
 * backport-subscription-events): the past events of a topic-based subscription, for a subscriber that missed
 * notifications. Answers a {@code history} Bundle (profile backport-subscription-notification-r4) whose
 * SubscriptionStatus has {@code type = query-event} and one {@code notification-event} per event, numbered
 * {@code eventsSinceNumber} to {@code eventsUntilNumber} (both included; at most {@value #MAX_EVENTS} per request,
 * the latest ones when no bound is given), with the focus resources as {@code content} asks: {@code empty},
 * {@code id-only} or {@code full-resource} (each at the version it had when the event happened). The events
 * kept are the last {@code carebus.fhir.subscriptions.events-kept} of each subscription.
 */
public class SubscriptionEventsOperation {

    /** The most events one request answers. */
    static final int MAX_EVENTS = 100;

    private static final String PAYLOAD_CONTENT =
            "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content";
    private static final Set<String> CONTENTS = Set.of("empty", "id-only", "full-resource");

    private final DaoRegistry daoRegistry;
    private final SubscriptionEventLog eventLog;

    public SubscriptionEventsOperation(DaoRegistry daoRegistry, SubscriptionEventLog eventLog) {
        this.daoRegistry = daoRegistry;
        this.eventLog = eventLog;
    }

    @Operation(name = "$events", type = Subscription.class, idempotent = true)
    public Bundle events(@IdParam IdType id,
                         @OperationParam(name = "eventsSinceNumber") StringType eventsSinceNumber,
                         @OperationParam(name = "eventsUntilNumber") StringType eventsUntilNumber,
                         @OperationParam(name = "content") CodeType content,
                         RequestDetails request) {
        Subscription subscription = daoRegistry.getResourceDao(Subscription.class).read(id, request);
        String subscriptionId = subscription.getIdElement().toUnqualifiedVersionless().getValue();
        if (!SubscriptionStatusParameters.isTopicBased(subscription)) {
            throw new InvalidRequestException("$events is for topic-based subscriptions (profile "
                    + SubscriptionStatusParameters.TOPIC_SUBSCRIPTION_PROFILE + "); " + subscriptionId
                    + " is a subscription on search criteria");
        }
        String contentCode = content != null && content.hasValue() ? content.getValue() : payloadContent(subscription);
        if (!CONTENTS.contains(contentCode)) {
            throw new InvalidRequestException("content must be one of empty, id-only, full-resource, not '"
                    + contentCode + "'");
        }

        long last = eventLog.lastEventNumber(subscriptionId);
        Long since = number(eventsSinceNumber, "eventsSinceNumber");
        Long until = number(eventsUntilNumber, "eventsUntilNumber");
        if (since != null && until != null && since > until) {
            throw new InvalidRequestException("eventsSinceNumber (" + since + ") is after eventsUntilNumber ("
                    + until + ")");
        }
        long to = until != null ? Math.min(until, last)
                : since != null ? Math.min(last, since + MAX_EVENTS - 1) : last;
        long from = since != null ? Math.max(since, to - MAX_EVENTS + 1) : Math.max(1, to - MAX_EVENTS + 1);
        List<SubscriptionEventLog.Event> events = eventLog.events(subscriptionId, from, to, MAX_EVENTS);

        Parameters status = SubscriptionStatusParameters.of(subscriptionId, subscription.getCriteria(),
                subscription.getStatus() == null ? null : subscription.getStatus().toCode(), "query-event", last);
        Bundle bundle = SubscriptionStatusParameters.notificationBundle(status, subscriptionId + "/$events");

        for (SubscriptionEventLog.Event event : events) {
            ParametersParameterComponent part = status.addParameter().setName("notification-event");
            part.addPart().setName("event-number").setValue(new StringType(String.valueOf(event.number())));
            part.addPart().setName("timestamp").setValue(new InstantType(Date.from(event.occurredAt())));
            if ("empty".equals(contentCode) || event.focus().isEmpty()) {
                continue;
            }
            IdType focus = new IdType(event.focus());
            part.addPart().setName("focus").setValue(new Reference(focus.toUnqualifiedVersionless().getValue()));
            if ("full-resource".equals(contentCode)) {
                addFocus(bundle, focus, request);
            } else {
                Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(focusUrl(request, focus));
                entry.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(focus.getValue());
                entry.getResponse().setStatus("200");
            }
        }
        return bundle;
    }

    /** The focus at its version of the event; left out when it was deleted or expunged since, or not visible. */
    private void addFocus(Bundle bundle, IdType focus, RequestDetails request) {
        IBaseResource resource;
        try {
            resource = daoRegistry.getResourceDao(focus.getResourceType()).read(focus, request);
        } catch (ResourceNotFoundException | ResourceGoneException e) {
            return;
        }
        Bundle.BundleEntryComponent entry = bundle.addEntry().setFullUrl(focusUrl(request, focus))
                .setResource((Resource) resource);
        entry.getRequest().setMethod(Bundle.HTTPVerb.GET).setUrl(focus.getValue());
        entry.getResponse().setStatus("200");
    }

    private static String focusUrl(RequestDetails request, IdType focus) {
        String base = request.getFhirServerBase();
        return (base == null ? "" : base + "/") + focus.toUnqualifiedVersionless().getValue();
    }

    private static String payloadContent(Subscription subscription) {
        Extension extension = subscription.getChannel().getPayloadElement().getExtensionByUrl(PAYLOAD_CONTENT);
        return extension == null || extension.getValue() == null ? "id-only" : extension.getValue().primitiveValue();
    }

    private static Long number(StringType parameter, String name) {
        if (parameter == null || !parameter.hasValue()) {
            return null;
        }
        try {
            long value = Long.parseLong(parameter.getValue().trim());
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(name + " must be an event number (0 or more), not '"
                    + parameter.getValue() + "'");
        }
    }
}
