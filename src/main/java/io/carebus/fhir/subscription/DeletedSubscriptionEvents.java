package io.carebus.fhir.subscription;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Subscription;

/** Removes the recorded events of a Subscription when it is deleted, in the deleting transaction. */
@Interceptor
public class DeletedSubscriptionEvents {

    private final SubscriptionEventLog eventLog;

    public DeletedSubscriptionEvents(SubscriptionEventLog eventLog) {
        this.eventLog = eventLog;
    }

    @Hook(Pointcut.STORAGE_PRECOMMIT_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        if (resource instanceof Subscription subscription) {
            eventLog.forget(subscription.getIdElement().toUnqualifiedVersionless().getValue());
        }
    }
}
