package io.carebus.fhir.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.carebus.security.OutboundUrlPolicy;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;

/**
 * A rest-hook Subscription's {@code channel.endpoint} is where the engine will POST: it must be a URL the engine
 * may call ({@link OutboundUrlPolicy}, carebus.security.outbound-urls), or whoever may write Subscriptions could
 * make the engine call its own host or the internal network. Checked on create and update, whoever writes (an
 * operator's subscriber on an internal network needs allow-private-addresses); refused with 422 and an
 * OperationOutcome naming the element, as HAPI refuses a rest-hook Subscription without an endpoint. Each delivery
 * checks again ({@link SubscriptionDelivery}), as the name may resolve elsewhere later.
 */
@Interceptor
public class SubscriptionEndpointCheck {

    static final String ELEMENT = "Subscription.channel.endpoint";

    private final OutboundUrlPolicy outboundUrls;

    public SubscriptionEndpointCheck(OutboundUrlPolicy outboundUrls) {
        this.outboundUrls = outboundUrls;
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void subscriptionCreated(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void subscriptionUpdated(IBaseResource previous, IBaseResource resource) {
        check(resource);
    }

    void check(IBaseResource resource) {
        if (!(resource instanceof Subscription subscription)
                || subscription.getChannel().getType() != Subscription.SubscriptionChannelType.RESTHOOK
                || !subscription.getChannel().hasEndpoint()) {
            return;  // HAPI refuses a rest-hook Subscription without an endpoint, and channel types it does not deliver
        }
        if (subscription.getStatus() == Subscription.SubscriptionStatus.ERROR
                || subscription.getStatus() == Subscription.SubscriptionStatus.OFF) {
            // no new notification is matched for it: checked again when it is requested or active once more (and
            // at each delivery), so the engine can set error on a subscription whose endpoint it now refuses
            return;
        }
        try {
            outboundUrls.check(subscription.getChannel().getEndpoint());
        } catch (OutboundUrlPolicy.RefusedUrlException e) {
            String message = ELEMENT + " " + e.getMessage();
            OperationOutcome outcome = new OperationOutcome();
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(OperationOutcome.IssueSeverity.ERROR)
                    .setCode(OperationOutcome.IssueType.VALUE)
                    .setDiagnostics(message);
            issue.addExpression(ELEMENT);
            issue.getLocation().add(new StringType(ELEMENT));
            throw new UnprocessableEntityException(message, outcome);
        }
    }
}
