package io.carebus.fhir.subscription;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.Parameters.ParametersParameterComponent;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StringType;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The events of each topic-based subscription, in PostgreSQL: their numbers ({@code event-number},
 * {@code events-since-subscription-start}) count on across restarts, and the most recent
 * {@code carebus.fhir.subscriptions.events-kept} of them stay for {@code Subscription/[id]/$events}.
 */
public class SubscriptionEventLog {

    /** One event: its number, when it happened and its focus with the version it had then. */
    public record Event(long number, Instant occurredAt, String focus) {
    }

    /** The counter's increment and the event's row in one statement: numbers are unique even across nodes. */
    private static final String RECORD = """
            WITH next AS (
                INSERT INTO fhir_subscription_event_counter AS c (subscription_id, last_event) VALUES (?, 1)
                ON CONFLICT (subscription_id) DO UPDATE SET last_event = c.last_event + 1
                RETURNING last_event)
            INSERT INTO fhir_subscription_event (subscription_id, event_number, occurred_at, focus)
            SELECT ?, last_event, ?, ? FROM next
            RETURNING event_number""";

    private final JdbcTemplate jdbc;
    private final int kept;

    public SubscriptionEventLog(JdbcTemplate jdbc, int kept) {
        this.jdbc = jdbc;
        this.kept = Math.max(1, kept);
    }

    /** Records an event of {@code Subscription/[id]}; returns its number (1 for the first). */
    public long record(String subscriptionId, Instant occurredAt, String focus) {
        Long number = jdbc.queryForObject(RECORD, Long.class, subscriptionId, subscriptionId,
                Timestamp.from(occurredAt), focus);
        if (number % 100 == 0) {
            jdbc.update("DELETE FROM fhir_subscription_event WHERE subscription_id = ? AND event_number <= ?",
                    subscriptionId, number - kept);
        }
        return number;
    }

    /** Forgets a deleted subscription's events and its count. */
    public void forget(String subscriptionId) {
        jdbc.update("DELETE FROM fhir_subscription_event WHERE subscription_id = ?", subscriptionId);
        jdbc.update("DELETE FROM fhir_subscription_event_counter WHERE subscription_id = ?", subscriptionId);
    }

    /** The number of the subscription's latest event, 0 before the first. */
    public long lastEventNumber(String subscriptionId) {
        List<Long> last = jdbc.queryForList(
                "SELECT last_event FROM fhir_subscription_event_counter WHERE subscription_id = ?", Long.class,
                subscriptionId);
        return last.isEmpty() ? 0 : last.get(0);
    }

    /** The events numbered {@code from} to {@code to} (both included) that are still kept, oldest first. */
    public List<Event> events(String subscriptionId, long from, long to, int max) {
        return jdbc.query("""
                SELECT event_number, occurred_at, focus FROM fhir_subscription_event
                WHERE subscription_id = ? AND event_number BETWEEN ? AND ?
                ORDER BY event_number LIMIT ?""",
                (rs, i) -> new Event(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3)),
                subscriptionId, from, to, max);
    }

    /**
     * Records the events of an R4 backport notification Bundle built by HAPI and numbers them in it: each
     * {@code notification-event} gets this log's {@code event-number} and an instant {@code timestamp}, and
     * {@code events-since-subscription-start} the latest number. (HAPI counts in memory, from 1 again after each
     * restart, so a subscriber could not tell a new event from one it had seen.)
     */
    public void number(String subscriptionId, Bundle notification) {
        if (notification.getEntry().isEmpty()
                || !(notification.getEntryFirstRep().getResource() instanceof Parameters status)) {
            return;
        }
        Instant now = Instant.now();
        long last = -1;
        for (ParametersParameterComponent event : status.getParameter()) {
            if (!"notification-event".equals(event.getName())) {
                continue;
            }
            String focus = event.getPart().stream().filter(p -> "focus".equals(p.getName()))
                    .map(p -> ((Reference) p.getValue()).getReference()).findFirst().orElse(null);
            last = record(subscriptionId, now, versioned(focus, notification));
            event.getPart().removeIf(p -> "event-number".equals(p.getName()) || "timestamp".equals(p.getName()));
            event.getPart().add(0, new ParametersParameterComponent().setName("timestamp")
                    .setValue(new InstantType(Date.from(now))));
            event.getPart().add(0, new ParametersParameterComponent().setName("event-number")
                    .setValue(new StringType(String.valueOf(last))));
        }
        if (last >= 0) {
            long events = last;
            status.getParameter().stream().filter(p -> "events-since-subscription-start".equals(p.getName()))
                    .forEach(p -> p.setValue(new StringType(String.valueOf(events))));
        }
    }

    /** The focus with the version the notification carries ({@code Observation/5/_history/2}), when it has it. */
    private static String versioned(String focus, Bundle notification) {
        if (focus == null) {
            return "";
        }
        for (Bundle.BundleEntryComponent entry : notification.getEntry()) {
            Resource resource = entry.getResource();
            if (resource == null || resource instanceof Parameters) {
                continue;
            }
            String versionless = resource.getIdElement().toUnqualifiedVersionless().getValue();
            String version = resource.getIdElement().hasVersionIdPart() ? resource.getIdElement().getVersionIdPart()
                    : resource.getMeta().getVersionId();
            if (focus.endsWith(versionless) && version != null) {
                return versionless + "/_history/" + version;
            }
        }
        return focus;
    }
}
