package io.carebus.fhir.subscription;

import static org.awaitility.Awaitility.await;

import java.time.Duration;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.subscription.match.registry.SubscriptionRegistry;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import ca.uhn.fhir.rest.client.interceptor.BasicAuthInterceptor;
import io.carebus.support.EngineTestBase;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** A FHIR client on the running engine, a subscriber's receiver, and creating a subscription until it is live. */
abstract class SubscriptionTestSupport extends EngineTestBase {

    @LocalServerPort
    int port;

    @Autowired
    FhirContext fhirContext;

    @Autowired
    SubscriptionRegistry subscriptionRegistry;

    IGenericClient client;
    SubscriberReceiver receiver;

    @BeforeEach
    void clientAndReceiver() {
        fhirContext.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        client = fhirContext.newRestfulGenericClient("http://localhost:" + port + "/fhir");
        client.registerInterceptor(new BasicAuthInterceptor("engineer", ENGINEER_PASSWORD));
        receiver = SubscriberReceiver.started();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    /**
     * Creates the subscription (status requested) and waits until the server has activated it and matches changes
     * against it.
     */
    IdType subscribe(Subscription subscription) {
        subscription.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        IdType id = ((IdType) client.create().resource(subscription).execute().getId()).toUnqualifiedVersionless();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                client.read().resource(Subscription.class).withId(id).execute().getStatus()
                        == Subscription.SubscriptionStatus.ACTIVE
                        && subscriptionRegistry.get(id.getIdPart()) != null);
        return id;
    }
}
