package io.carebus.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import ca.uhn.fhir.rest.api.MethodOutcome;
import jakarta.jms.Message;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Subscription;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jms.core.JmsTemplate;

/**
 * R4 rest-hook subscriptions on search criteria, delivered through the Artemis queue: the full resource to a live
 * receiver, retried while the receiver is down, dead-lettered when it never accepts, and never in a write's way.
 */
class RestHookSubscriptionTest extends SubscriptionTestSupport {

    private static final String DLQ = "DLQ.carebus.subscription.notify";

    @Autowired
    JmsTemplate jms;

    private static Subscription restHook(String code, String endpoint) {
        Subscription subscription = new Subscription();
        subscription.setReason("test " + code);
        subscription.setCriteria("Observation?code=http://loinc.org|" + code);
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(endpoint).setPayload("application/fhir+json")
                .addHeader("Authorization: Bearer subscriber-token");
        return subscription;
    }

    private static Observation observation(String code) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", code, "Test")));
        return observation;
    }

    @Test
    void matchingResourceIsPutToTheEndpointWithTheSubscriptionsHeaders() {
        String code = UUID.randomUUID().toString();
        IdType subscription = subscribe(restHook(code, receiver.url("/hook")));

        client.create().resource(observation("other-" + code)).execute();
        IdType id = (IdType) client.create().resource(observation(code)).execute().getId();

        SubscriberReceiver.Request request = firstPutOf(id);
        assertThat(request.header("Content-Type")).startsWith("application/fhir+json");
        Observation delivered = fhirContext.newJsonParser().parseResource(Observation.class, request.body());
        assertThat(delivered.getCode().getCodingFirstRep().getCode()).isEqualTo(code);
        // the engine's own headers stay inside
        assertThat(request.headers().keySet()).noneMatch(h -> h.startsWith("Carebus") || h.startsWith("Jms"));
        // only the matching observation was sent
        assertThat(receiver.requests()).hasSize(1);

        Parameters status = status(subscription);
        assertThat(param(status, "type")).isEqualTo("query-status");
        assertThat(param(status, "status")).isEqualTo("active");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> "1".equals(param(status(subscription), "carebus-delivered")));
        assertThat(status(subscription).getParameter()).noneMatch(p -> p.getName().equals("error"));
    }

    /**
     * R4 Subscription.end is "the time for the server to turn the subscription off": past it the subscription is
     * {@code off} and a matching change notifies no one, while a subscription on the same criteria without an end
     * still gets it.
     */
    @Test
    void aSubscriptionPastItsEndIsTurnedOffAndNotNotified() {
        String code = UUID.randomUUID().toString();
        Subscription ended = restHook(code, receiver.url("/ended"));
        ended.setEnd(java.util.Date.from(java.time.Instant.now().minusSeconds(60)));
        ended.setStatus(Subscription.SubscriptionStatus.REQUESTED);
        IdType endedId = ((IdType) client.create().resource(ended).execute().getId()).toUnqualifiedVersionless();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.read().resource(Subscription.class)
                .withId(endedId).execute().getStatus() == Subscription.SubscriptionStatus.OFF);
        subscribe(restHook(code, receiver.url("/open")));

        IdType id = (IdType) client.create().resource(observation(code)).execute().getId();

        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().stream()
                .anyMatch(r -> r.path().equals("/open/Observation/" + id.getIdPart())));
        assertThat(receiver.requests()).noneMatch(r -> r.path().startsWith("/ended"));
    }

    @Test
    void channelHeadersCannotRedirectTheCall() {
        try (SubscriberReceiver elsewhere = SubscriberReceiver.started()) {
            String code = UUID.randomUUID().toString();
            Subscription subscription = restHook(code, receiver.url("/hook"));
            subscription.getChannel().addHeader("CamelHttpUri: " + elsewhere.url("/x"))
                    .addHeader("camelhttpmethod: DELETE").addHeader("Host: internal.example");
            subscribe(subscription);

            IdType id = (IdType) client.create().resource(observation(code)).execute().getId();

            SubscriberReceiver.Request request = firstPutOf(id);
            assertThat(request.header("Host")).doesNotContain("internal.example");
            assertThat(elsewhere.attempts()).isZero();
        }
    }

    @Test
    void aWriteIsNotHeldUpByADownSubscriberWhichGetsTheNotificationOnceItIsBack() {
        String code = UUID.randomUUID().toString();
        subscribe(restHook(code, receiver.url("/hook")));
        receiver.stop();
        double failedBefore = meterCount("retry");

        long started = System.nanoTime();
        MethodOutcome outcome = client.create().resource(observation(code)).execute();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(outcome.getCreated()).isTrue();
        assertThat(took).isLessThan(Duration.ofSeconds(2));

        // at least one delivery attempt has failed while the receiver was down
        await().atMost(Duration.ofSeconds(30)).until(() -> meterCount("retry") > failedBefore);
        assertThat(receiver.requests()).isEmpty();
        receiver.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        assertThat(receiver.requests().get(0).path())
                .isEqualTo("/hook/Observation/" + outcome.getId().getIdPart());
    }

    @Test
    void aSlowSubscriberHoldsUpNoWrite() {
        String code = UUID.randomUUID().toString();
        subscribe(restHook(code, receiver.url("/hook")));
        receiver.hold();

        client.create().resource(observation(code)).execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.attempts() == 1); // the delivery is waiting
        long started = System.nanoTime();
        IdType second = (IdType) client.create().resource(observation(code)).execute().getId();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        receiver.release();
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() == 2);
        assertThat(receiver.requests()).anyMatch(r -> r.path().endsWith("/Observation/" + second.getIdPart()));
    }

    @Test
    void theServersOwnAuditEventsAreNeverMatched() {
        String code = UUID.randomUUID().toString();
        Subscription onAudit = restHook(code, receiver.url("/audit"));
        onAudit.setCriteria("AuditEvent?");
        subscribe(onAudit);
        subscribe(restHook(code, receiver.url("/hook")));

        // the create and the reads below are audited: AuditEvents are stored, and none reaches a subscriber
        IdType id = (IdType) client.create().resource(observation(code)).execute().getId();
        client.read().resource(Observation.class).withId(id).execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        await().atMost(Duration.ofSeconds(30)).until(() -> !client.search().forResource(AuditEvent.class)
                .returnBundle(Bundle.class).execute().getEntry().isEmpty());
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6))
                .until(() -> receiver.requests().size() == 1);
        assertThat(receiver.requests().get(0).path()).isEqualTo("/hook/Observation/" + id.getIdPart());
    }

    @Test
    void aWriteThatRollsBackNotifiesNoOne() {
        String code = UUID.randomUUID().toString();
        subscribe(restHook(code, receiver.url("/hook")));

        // one transaction: a matching Observation, and a Patient whose organisation does not exist
        Bundle transaction = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        transaction.addEntry().setResource(observation(code)).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation");
        org.hl7.fhir.r4.model.Patient patient = new org.hl7.fhir.r4.model.Patient();
        patient.setManagingOrganization(new org.hl7.fhir.r4.model.Reference("Organization/missing-" + code));
        transaction.addEntry().setResource(patient).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("Patient");
        assertThatThrownBy(() -> client.transaction().withBundle(transaction).execute())
                .isInstanceOf(ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException.class);

        IdType committed = (IdType) client.create().resource(observation(code)).execute().getId();
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> receiver.requests().size() == 1);
        assertThat(receiver.requests().get(0).path()).isEqualTo("/hook/Observation/" + committed.getIdPart());
    }

    @Test
    void aNotificationTheSubscriberAlwaysRefusesEndsInTheDeadLetterQueue() {
        String code = UUID.randomUUID().toString();
        IdType subscription = subscribe(restHook(code, receiver.url("/hook")));
        receiver.answer(500);

        long started = System.nanoTime();
        assertThat(client.create().resource(observation(code)).execute().getCreated()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));

        await().atMost(Duration.ofSeconds(60)).until(() -> deadLettered(subscription.getValue()).size() == 1);
        Message dead = deadLettered(subscription.getValue()).get(0);
        assertThat(receiver.attempts()).isEqualTo(3); // carebus.queues.max-delivery-attempts in the tests
        assertThat(receiver.requests()).isEmpty();
        assertThat(property(dead, SubscriptionHeaders.ERROR)).contains("500");
        // the subscriber's credentials are not kept with the dead letter
        assertThat(property(dead, "Authorization")).isNull();

        Parameters status = status(subscription);
        assertThat(param(status, "carebus-dead-lettered")).isEqualTo("1");
        assertThat(param(status, "carebus-failed-attempts")).isEqualTo("3");
        assertThat(param(status, "carebus-delivered")).isEqualTo("0");
        assertThat(status.getParameter().stream().filter(p -> p.getName().equals("error"))
                .map(p -> ((CodeableConcept) p.getValue()).getText())).singleElement().isEqualTo("HTTP 500");
    }

    /**
     * A dead-lettered notification puts the subscription in error (R4 Subscription.status), with the kind of failure
     * in Subscription.error and nothing of the notification's content; it is notified of nothing more until its owner
     * requests it again.
     */
    @Test
    void aDeadLetteredNotificationPutsTheSubscriptionInErrorUntilItIsRequestedAgain() {
        String code = UUID.randomUUID().toString();
        IdType subscription = subscribe(restHook(code, receiver.url("/hook")));
        receiver.answer(503);

        client.create().resource(observation(code)).execute();

        await().atMost(Duration.ofSeconds(60)).until(() -> read(subscription).getStatus()
                == Subscription.SubscriptionStatus.ERROR);
        Subscription errored = read(subscription);
        assertThat(errored.getError()).isEqualTo("HTTP 503 (a notification was dead-lettered after 3 attempts)");
        assertThat(deadLettered(subscription.getValue())).hasSize(1);
        assertThat(param(status(subscription), "status")).isEqualTo("error");
        await().atMost(Duration.ofSeconds(30)).until(() -> subscriptionRegistry.get(subscription.getIdPart()) == null);

        // the subscriber is back and the owner requests the subscription again: the server activates it
        receiver.answer(200);
        client.update().resource(errored.setStatus(Subscription.SubscriptionStatus.REQUESTED)).execute();
        await().atMost(Duration.ofSeconds(30)).until(() -> read(subscription).getStatus()
                == Subscription.SubscriptionStatus.ACTIVE && subscriptionRegistry.get(subscription.getIdPart()) != null);
        IdType next = ((IdType) client.create().resource(observation(code)).execute().getId());
        await().atMost(Duration.ofSeconds(30)).until(() -> receiver.requests().size() == 1);
        assertThat(receiver.requests().get(0).path()).isEqualTo("/hook/Observation/" + next.getIdPart());
    }

    private Subscription read(IdType subscription) {
        return client.read().resource(Subscription.class).withId(subscription).execute();
    }

    /**
     * A subscriber's redirect is not followed: it could lead the engine past the endpoint check to an internal
     * address. The 302 is a failed delivery like any other (retried, then dead-lettered) and the address it names
     * is never called.
     */
    @Test
    void aRedirectingSubscriberIsNotFollowedAndTheDeliveryFails() {
        try (SubscriberReceiver internal = SubscriberReceiver.started()) {
            String code = UUID.randomUUID().toString();
            IdType subscription = subscribe(restHook(code, receiver.url("/hook")));
            receiver.redirectTo(internal.url("/internal"));

            client.create().resource(observation(code)).execute();

            await().atMost(Duration.ofSeconds(60)).until(() -> deadLettered(subscription.getValue()).size() == 1);
            assertThat(receiver.attempts()).isEqualTo(3); // carebus.queues.max-delivery-attempts in the tests
            assertThat(internal.attempts()).isZero();
            assertThat(property(deadLettered(subscription.getValue()).get(0), SubscriptionHeaders.ERROR))
                    .contains("302");
            assertThat(param(status(subscription), "carebus-delivered")).isEqualTo("0");
        }
    }

    /**
     * The delivery client refuses redirects whatever its endpoint says (carebus.fhir.subscriptions.endpoint is
     * configuration): even {@code followRedirects=true} sends nothing to the address a 302 names.
     */
    @Test
    void theDeliveryClientNeverFollowsARedirect() {
        try (SubscriberReceiver internal = SubscriberReceiver.started()) {
            receiver.redirectTo(internal.url("/internal"));
            org.apache.camel.Exchange sent = camelContext.createProducerTemplate().request(
                    "subscriber-http://subscriber.invalid?followRedirects=true", exchange -> {
                        exchange.getIn().setHeader(org.apache.camel.Exchange.HTTP_URI, receiver.url("/hook"));
                        exchange.getIn().setHeader(org.apache.camel.Exchange.HTTP_METHOD, "PUT");
                        exchange.getIn().setHeader("Content-Type", "application/fhir+json");
                        exchange.getIn().setBody("{\"resourceType\":\"Basic\"}");
                    });
            assertThat(sent.getException()).as("answer %s, receiver %s, internal %s",
                    sent.getMessage().getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE), receiver.attempts(),
                    internal.attempts()).isInstanceOf(
                    org.apache.camel.http.base.HttpOperationFailedException.class);
            assertThat(((org.apache.camel.http.base.HttpOperationFailedException) sent.getException())
                    .getStatusCode()).isEqualTo(302);
            assertThat(receiver.attempts()).isEqualTo(1);
            assertThat(internal.attempts()).isZero();
        }
    }

    @Autowired
    org.apache.camel.CamelContext camelContext;

    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;

    private double meterCount(String outcome) {
        var counter = meters.find("carebus.fhir.subscription.notifications").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    /** GET Subscription/[id]/$status: the SubscriptionStatus in the returned Bundle. */
    private Parameters status(IdType subscription) {
        Bundle bundle = client.operation().onInstance(subscription).named("$status").withNoParameters(Parameters.class)
                .returnResourceType(Bundle.class).useHttpGet().execute();
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.SEARCHSET);
        return (Parameters) bundle.getEntryFirstRep().getResource();
    }

    private static String param(Parameters parameters, String name) {
        return parameters.getParameter().stream().filter(p -> p.getName().equals(name))
                .map(p -> p.getValue().primitiveValue()).findFirst().orElse(null);
    }

    private List<Message> deadLettered(String subscriptionId) {
        return jms.browseSelected(DLQ, SubscriptionHeaders.SUBSCRIPTION_ID + " = '" + subscriptionId + "'",
                (session, browser) -> {
                    List<Message> found = new ArrayList<>();
                    var e = browser.getEnumeration();
                    while (e.hasMoreElements()) {
                        found.add((Message) e.nextElement());
                    }
                    return found;
                });
    }

    private static String property(Message message, String name) {
        try {
            return message.getStringProperty(name);
        } catch (jakarta.jms.JMSException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first request the receiver got, checked to be the PUT of this Observation with the channel's header. */
    private SubscriberReceiver.Request firstPutOf(IdType id) {
        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.requests().isEmpty());
        SubscriberReceiver.Request request = receiver.requests().get(0);
        assertThat(request.method()).isEqualTo("PUT");
        assertThat(request.path()).isEqualTo("/hook/Observation/" + id.getIdPart());
        assertThat(request.header("Authorization")).isEqualTo("Bearer subscriber-token");
        return request;
    }
}
