package io.carebus.fhir.subscription;

import java.util.List;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.topic.ISubscriptionTopicLoader;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Basic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;

/**
 * Writes Carebus's subscription topics into the FHIR store at start-up (an update by fixed id: unchanged topics
 * make no new version) and has HAPI's topic registry read them at once, so topic subscriptions can name them.
 */
public class SubscriptionTopicInstaller {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionTopicInstaller.class);

    private final DaoRegistry daoRegistry;
    private final ISubscriptionTopicLoader topicLoader;
    private final List<Basic> topics;

    public SubscriptionTopicInstaller(DaoRegistry daoRegistry, ISubscriptionTopicLoader topicLoader, List<Basic> topics) {
        this.daoRegistry = daoRegistry;
        this.topicLoader = topicLoader;
        this.topics = List.copyOf(topics);
    }

    @EventListener(ApplicationReadyEvent.class)
    public void install() {
        int installed = 0;
        for (Basic topic : topics) {
            try {
                daoRegistry.getResourceDao(Basic.class).update(topic, new SystemRequestDetails());
                installed++;
            } catch (RuntimeException e) {
                // the engine still starts; subscriptions to this topic get no notification until it is fixed
                log.error("Subscription topic {} not installed: {}", topic.getIdElement().getIdPart(), e.toString());
            }
        }
        if (topicLoader instanceof ca.uhn.fhir.cache.BaseResourceCacheSynchronizer synchronizer) {
            synchronizer.forceRefresh();
        }
        log.info("{} of {} subscription topics installed", installed, topics.size());
    }

    public List<Basic> topics() {
        return topics;
    }
}
