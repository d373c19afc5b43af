package io.carebus.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ClaimResponse;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.hl7.fhir.r4.model.Subscription;
import org.hl7.fhir.r4.model.UnsignedIntType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Topic-based subscriptions (Subscriptions R5 Backport IG for R4) on Carebus's topics: each notification is a
 * history Bundle whose first entry is the SubscriptionStatus Parameters, followed by the focus resource.
 */
class TopicSubscriptionTest extends SubscriptionTestSupport {

    static final String BACKPORT = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    static final String TOPICS = "http://carebus.io/fhir/SubscriptionTopic/";

    IdType patient;

    @Autowired
    JdbcTemplate jdbc;

    @BeforeEach
    void patient() {
        Patient p = new Patient();
        p.addName().setFamily("Topic").addGiven("Test");
        patient = ((IdType) client.create().resource(p).execute().getId()).toUnqualifiedVersionless();
    }

    private Subscription topicSubscription(String topic, String filter, String path) {
        Subscription subscription = new Subscription();
        subscription.getMeta().addProfile(BACKPORT + "backport-subscription");
        subscription.setReason("test " + topic);
        subscription.setCriteria(TOPICS + topic);
        subscription.getCriteriaElement().addExtension(BACKPORT + "backport-filter-criteria", new StringType(filter));
        subscription.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(receiver.url(path)).setPayload("application/fhir+json");
        subscription.getChannel().getPayloadElement()
                .addExtension(BACKPORT + "backport-payload-content", new CodeType("full-resource"));
        return subscription;
    }

    /** The event notifications received on the path (not the handshake nor heartbeats). */
    private List<Bundle> notifications(String path) {
        return notifications(path, "event-notification");
    }

    private List<Bundle> notifications(String path, String type) {
        return receiver.requests().stream().filter(r -> r.path().equals(path))
                .map(r -> fhirContext.newJsonParser().parseResource(Bundle.class, r.body()))
                .filter(b -> type.equals(notificationType(b))).toList();
    }

    private static String notificationType(Bundle bundle) {
        return param((Parameters) bundle.getEntryFirstRep().getResource(), "type")
                .map(p -> p.getValue().primitiveValue()).orElse(null);
    }

    private List<Bundle> awaitNotifications(String path, int count) {
        return awaitNotifications(path, "event-notification", count);
    }

    private List<Bundle> awaitNotifications(String path, String type, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications(path, type).size() >= count);
        return notifications(path, type);
    }

    /** Nothing more arrives on the path for a while: Awaitility's "during", not a sleep. */
    private void assertStaysAt(String path, int count) {
        assertStaysAt(path, "event-notification", count);
    }

    private void assertStaysAt(String path, String type, int count) {
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> notifications(path, type).size() == count);
    }

    /** Checks a notification without an event (handshake, heartbeat): the SubscriptionStatus alone. */
    private static Parameters assertStatusNotification(Bundle bundle, IdType subscription, String topic,
                                                       String type) {
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        assertThat(bundle.getMeta().getProfile()).anyMatch(p -> p.getValue().equals(
                BACKPORT + "backport-subscription-notification-r4"));
        assertThat(bundle.getEntry()).hasSize(1);
        Parameters status = assertStatus(bundle, subscription, topic, type);
        assertThat(param(status, "notification-event")).isEmpty();
        return status;
    }

    /** Checks the SubscriptionStatus that opens a notification or an $events answer, and returns it. */
    private static Parameters assertStatus(Bundle bundle, IdType subscription, String topic, String type) {
        Parameters status = (Parameters) bundle.getEntryFirstRep().getResource();
        assertThat(status.getMeta().getProfile()).anyMatch(p -> p.getValue().equals(
                BACKPORT + "backport-subscription-status-r4"));
        assertThat(param(status, "subscription").map(p -> ((Reference) p.getValue()).getReference()))
                .hasValueSatisfying(ref -> assertThat(ref).contains(subscription.getValue()));
        assertThat(param(status, "topic").map(p -> p.getValue().primitiveValue())).contains(TOPICS + topic);
        assertThat(param(status, "type").map(p -> p.getValue().primitiveValue())).contains(type);
        assertThat(param(status, "status").map(p -> p.getValue().primitiveValue())).contains("active");
        assertThat(param(status, "events-since-subscription-start")).isPresent();
        return status;
    }

    private static long eventsSinceStart(Parameters status) {
        return Long.parseLong(param(status, "events-since-subscription-start").orElseThrow()
                .getValue().primitiveValue());
    }

    /** Checks the SubscriptionStatus of an event notification and returns its focus resource. */
    private static Resource assertEventNotification(Bundle bundle, IdType subscription, String topic) {
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.HISTORY);
        Parameters status = assertStatus(bundle, subscription, topic, "event-notification");
        ParametersParameterComponent event = param(status, "notification-event").orElseThrow();
        assertThat(event.getPart()).anyMatch(p -> p.getName().equals("event-number"));
        String focus = event.getPart().stream().filter(p -> p.getName().equals("focus"))
                .map(p -> ((Reference) p.getValue()).getReference()).findFirst().orElseThrow();
        assertThat(bundle.getEntry()).hasSize(2);
        Resource resource = bundle.getEntry().get(1).getResource();
        assertThat(focus).contains(resource.getIdElement().toUnqualifiedVersionless().getValue());
        return resource;
    }

    private static Optional<ParametersParameterComponent> param(Parameters parameters, String name) {
        return parameters.getParameter().stream().filter(p -> p.getName().equals(name)).findFirst();
    }

    private Encounter encounter(Encounter.EncounterStatus status) {
        Encounter encounter = new Encounter();
        encounter.setStatus(status);
        encounter.setClass_(new Coding("http://terminology.hl7.org/CodeSystem/v3-ActCode", "AMB", "ambulatory"));
        encounter.setSubject(new Reference(patient));
        return encounter;
    }

    private IdType update(Resource resource) {
        return (IdType) client.update().resource(resource).execute().getId();
    }

    @Test
    void encounterStartAndEndAreNotifiedOnTheStatusChange() {
        IdType start = subscribe(topicSubscription("encounter-start", "Encounter?patient=" + patient.getValue(), "/start"));
        IdType end = subscribe(topicSubscription("encounter-end", "Encounter?patient=" + patient.getValue(), "/end"));

        Encounter planned = encounter(Encounter.EncounterStatus.PLANNED);
        IdType id = ((IdType) client.create().resource(planned).execute().getId()).toUnqualifiedVersionless();
        planned.setId(id);
        planned.setStatus(Encounter.EncounterStatus.INPROGRESS);
        update(planned);

        Encounter started = (Encounter) assertEventNotification(awaitNotifications("/start", 1).get(0), start,
                "encounter-start");
        assertThat(started.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(started.getStatus()).isEqualTo(Encounter.EncounterStatus.INPROGRESS);

        // still in progress: not a start again
        planned.addReasonCode().setText("follow-up");
        update(planned);
        planned.setStatus(Encounter.EncounterStatus.FINISHED);
        update(planned);

        Encounter ended = (Encounter) assertEventNotification(awaitNotifications("/end", 1).get(0), end,
                "encounter-end");
        assertThat(ended.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(ended.getStatus()).isEqualTo(Encounter.EncounterStatus.FINISHED);
        assertStaysAt("/start", 1);

        // an encounter created in progress has started too
        IdType second = (IdType) client.create().resource(encounter(Encounter.EncounterStatus.INPROGRESS))
                .execute().getId();
        Resource secondStart = assertEventNotification(awaitNotifications("/start", 2).get(1), start,
                "encounter-start");
        assertThat(secondStart.getIdElement().getIdPart()).isEqualTo(second.getIdPart());
        assertStaysAt("/end", 1);
    }

    @Test
    void labResultsAreNotifiedWhenCreatedAndWhenChangedButOtherObservationsAreNot() {
        IdType subscription = subscribe(topicSubscription("lab-result",
                "Observation?patient=" + patient.getValue(), "/lab"));

        client.create().resource(observation("vital-signs", "8867-4", 72)).execute();
        Observation lab = observation("laboratory", "2345-7", 95);
        IdType id = ((IdType) client.create().resource(lab).execute().getId()).toUnqualifiedVersionless();

        Observation created = (Observation) assertEventNotification(awaitNotifications("/lab", 1).get(0),
                subscription, "lab-result");
        assertThat(created.getIdElement().getIdPart()).isEqualTo(id.getIdPart());

        lab.setId(id);
        lab.setValue(new Quantity().setValue(new BigDecimal("101")).setUnit("mg/dL"));
        update(lab);
        Observation changed = (Observation) assertEventNotification(awaitNotifications("/lab", 2).get(1),
                subscription, "lab-result");
        assertThat(changed.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(changed.getValueQuantity().getValue()).isEqualByComparingTo("101");
        assertStaysAt("/lab", 2);
    }

    @Test
    void aNewClaimResponseIsNotified() {
        IdType subscription = subscribe(topicSubscription("claim-response",
                "ClaimResponse?patient=" + patient.getValue(), "/claims"));

        ClaimResponse response = new ClaimResponse();
        response.setStatus(ClaimResponse.ClaimResponseStatus.ACTIVE);
        response.setType(new CodeableConcept(new Coding("http://terminology.hl7.org/CodeSystem/claim-type",
                "professional", null)));
        response.setUse(ClaimResponse.Use.CLAIM);
        response.setPatient(new Reference(patient));
        response.setCreated(new Date());
        response.setInsurer(new Reference().setDisplay("Test Payer"));
        response.setOutcome(ClaimResponse.RemittanceOutcome.COMPLETE);
        IdType id = (IdType) client.create().resource(response).execute().getId();

        ClaimResponse notified = (ClaimResponse) assertEventNotification(awaitNotifications("/claims", 1).get(0),
                subscription, "claim-response");
        assertThat(notified.getIdElement().getIdPart()).isEqualTo(id.getIdPart());
        assertThat(receiver.requests().get(0).method()).isEqualTo("POST");
    }

    @Test
    void aTopicSubscriptionIsGreetedWithOneHandshakeWhenItBecomesActive() {
        IdType subscription = subscribe(topicSubscription("lab-result",
                "Observation?patient=" + patient.getValue(), "/hello"));

        Bundle handshake = awaitNotifications("/hello", "handshake", 1).get(0);
        Parameters status = assertStatusNotification(handshake, subscription, "lab-result", "handshake");
        assertThat(eventsSinceStart(status)).isZero();
        assertThat(handshake.getEntryFirstRep().getRequest().getUrl()).endsWith(subscription.getValue() + "/$status");
        assertThat(receiver.requests().stream().filter(r -> r.path().equals("/hello")).findFirst().orElseThrow()
                .method()).isEqualTo("POST");

        // an update that leaves it active is no new handshake; no heartbeat was asked for
        Subscription stored = client.read().resource(Subscription.class).withId(subscription).execute();
        stored.setReason("lab results, renamed");
        update(stored);
        assertStaysAt("/hello", "handshake", 1);
        assertThat(notifications("/hello", "heartbeat")).isEmpty();
    }

    @Test
    void heartbeatsAreSentWhileNothingHappensAndCountTheEventsSent() {
        Subscription withHeartbeat = topicSubscription("lab-result", "Observation?patient=" + patient.getValue(),
                "/beat");
        withHeartbeat.getChannel().addExtension(BACKPORT + "backport-heartbeat-period", new UnsignedIntType(1));
        IdType subscription = subscribe(withHeartbeat);

        List<Bundle> beats = awaitNotifications("/beat", "heartbeat", 2);
        Parameters first = assertStatusNotification(beats.get(0), subscription, "lab-result", "heartbeat");
        assertThat(eventsSinceStart(first)).isZero();

        client.create().resource(observation("laboratory", "2345-7", 99)).execute();
        awaitNotifications("/beat", 1);
        // a heartbeat after the event counts it
        await().atMost(Duration.ofSeconds(30)).until(() -> notifications("/beat", "heartbeat").stream()
                .anyMatch(b -> eventsSinceStart((Parameters) b.getEntryFirstRep().getResource()) == 1));
    }

    @Test
    void pastEventsAreFetchedAgainWithEventsAtTheVersionEachEventHad() {
        IdType subscription = subscribe(topicSubscription("lab-result",
                "Observation?patient=" + patient.getValue(), "/missed"));
        Observation lab = observation("laboratory", "2345-7", 95);
        IdType first = ((IdType) client.create().resource(lab).execute().getId()).toUnqualifiedVersionless();
        awaitNotifications("/missed", 1);
        client.create().resource(observation("laboratory", "2951-2", 140)).execute();
        awaitNotifications("/missed", 2);
        lab.setId(first);
        lab.setValue(new Quantity().setValue(101));
        update(lab);
        List<Bundle> sent = awaitNotifications("/missed", 3);

        // the notifications carry the event numbers of the log: 1, 2, 3 in the order of the changes
        assertThat(sent).extracting(b -> eventNumbers((Parameters) b.getEntryFirstRep().getResource()))
                .containsExactly(List.of(1L), List.of(2L), List.of(3L));

        Bundle all = events(subscription, new Parameters());
        Parameters status = assertStatus(all, subscription, "lab-result", "query-event");
        assertThat(eventsSinceStart(status)).isEqualTo(3);
        assertThat(eventNumbers(status)).containsExactly(1L, 2L, 3L);
        assertThat(all.getMeta().getProfile()).anyMatch(p -> p.getValue().equals(
                BACKPORT + "backport-subscription-notification-r4"));
        // full-resource, as the subscription asks: each focus as it was at its event
        assertThat(all.getEntry()).hasSize(4);
        Observation atFirstEvent = (Observation) all.getEntry().get(1).getResource();
        Observation atThirdEvent = (Observation) all.getEntry().get(3).getResource();
        assertThat(atFirstEvent.getIdElement().getIdPart()).isEqualTo(first.getIdPart());
        assertThat(atFirstEvent.getValueQuantity().getValue()).isEqualByComparingTo("95");
        assertThat(atThirdEvent.getIdElement().getIdPart()).isEqualTo(first.getIdPart());
        assertThat(atThirdEvent.getValueQuantity().getValue()).isEqualByComparingTo("101");

        Parameters range = new Parameters();
        range.addParameter("eventsSinceNumber", new StringType("2"));
        range.addParameter("eventsUntilNumber", new StringType("3"));
        range.addParameter("content", new CodeType("id-only"));
        Bundle some = events(subscription, range);
        assertThat(eventNumbers(assertStatus(some, subscription, "lab-result", "query-event")))
                .containsExactly(2L, 3L);
        assertThat(some.getEntry()).hasSize(3);
        assertThat(some.getEntry().subList(1, 3)).allSatisfy(entry -> {
            assertThat(entry.hasResource()).isFalse();
            assertThat(entry.getFullUrl()).contains("Observation/");
        });

        Parameters bad = new Parameters();
        bad.addParameter("eventsSinceNumber", new StringType("three"));
        assertThatThrownBy(() -> events(subscription, bad)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("eventsSinceNumber");

        // deleting the subscription forgets its events
        assertThat(recordedEvents(subscription)).isEqualTo(3);
        client.delete().resourceById(subscription).execute();
        assertThat(recordedEvents(subscription)).isZero();
    }

    private int recordedEvents(IdType subscription) {
        return jdbc.queryForObject("SELECT count(*) FROM fhir_subscription_event WHERE subscription_id = ?",
                Integer.class, subscription.getValue());
    }

    @Test
    void eventsIsRefusedForASubscriptionOnSearchCriteria() {
        Subscription criteria = new Subscription();
        criteria.setReason("criteria");
        criteria.setCriteria("Observation?patient=" + patient.getValue());
        criteria.getChannel().setType(Subscription.SubscriptionChannelType.RESTHOOK)
                .setEndpoint(receiver.url("/criteria")).setPayload("application/fhir+json");
        IdType subscription = subscribe(criteria);
        assertThatThrownBy(() -> events(subscription, new Parameters()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("topic-based");
    }

    private Bundle events(IdType subscription, Parameters parameters) {
        return client.operation().onInstance(subscription).named("$events").withParameters(parameters)
                .returnResourceType(Bundle.class).useHttpGet().execute();
    }

    private static List<Long> eventNumbers(Parameters status) {
        return status.getParameter().stream().filter(p -> p.getName().equals("notification-event"))
                .map(p -> p.getPart().stream().filter(part -> part.getName().equals("event-number")).findFirst()
                        .map(part -> Long.parseLong(part.getValue().primitiveValue())).orElseThrow())
                .toList();
    }

    private Observation observation(String category, String loinc, int value) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory(new CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/observation-category", category, null)));
        observation.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
        observation.setSubject(new Reference(patient));
        observation.setValue(new Quantity().setValue(value));
        return observation;
    }
}
