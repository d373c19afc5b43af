package io.carebus.journal;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.carebus.CarebusHeaders;
import io.carebus.hl7v2.Hl7HeaderReader;
import io.carebus.hl7v2.Hl7MessageHeader;
import io.carebus.hl7v2.Hl7v2Intake;
import io.carebus.routing.DestinationRouter;
import jakarta.jms.BytesMessage;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;

/**
 * Replays a journaled message: its original bytes become a new journal row (replay_of = the original) and go
 * onto the ingress queue again, past duplicate detection, through every stage, to every destination the router
 * picks or to the chosen ones among them. A message rejected at intake is not replayed. When the broker refuses
 * the message, the new row is marked {@code error} with the reason and {@link JournalReplayNotQueuedException} is
 * thrown. When its answer never came (the message may be on the queue and on its way), the row stays {@code queued}
 * with the failure noted as its error, and the replay is answered as unconfirmed.
 */
public class JournalReplay {

    /**
     * One replay: the new row, the destinations chosen (empty: every destination the router picks), and, when the
     * broker's answer to the send never came, why the row stays {@code queued} unconfirmed (else null).
     */
    public record Replayed(long replayOf, long journalId, List<String> destinations, String unconfirmed) {
    }

    private final Journal journal;
    private final Hl7HeaderReader reader;
    private final JmsTemplate jms;
    private final String ingressQueue;
    private final DestinationRouter router;

    public JournalReplay(Journal journal, Hl7HeaderReader reader, JmsTemplate jms, String ingressQueue,
                         DestinationRouter router) {
        this.journal = journal;
        this.reader = reader;
        this.jms = jms;
        this.ingressQueue = ingressQueue;
        this.router = router;
    }

    /** Replays to every destination the router picks; returns the new journal id. */
    public long replay(long journalId) {
        return replay(journalId, List.of()).journalId();
    }

    /**
     * Checks a choice of destinations before anything is replayed: every name configured under
     * carebus.destinations and enabled, else {@link IllegalArgumentException} naming the others. Returns the
     * names without repeats (empty when none were given: every destination the router picks).
     */
    public List<String> checkDestinations(List<String> destinations) {
        if (destinations == null || destinations.isEmpty()) {
            return List.of();
        }
        if (destinations.stream().anyMatch(d -> d == null || d.isBlank() || d.contains(","))) {
            throw new IllegalArgumentException("destination: a destination name under carebus.destinations");
        }
        List<String> names = List.copyOf(new LinkedHashSet<>(destinations));
        List<String> unknown = router.unknown(names);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("Unknown destination(s) " + String.join(", ", unknown)
                    + " (not under carebus.destinations)");
        }
        List<String> disabled = names.stream().filter(n -> !router.isEnabled(n)).toList();
        if (!disabled.isEmpty()) {
            throw new IllegalArgumentException("Destination(s) " + String.join(", ", disabled) + " not enabled");
        }
        return names;
    }

    /**
     * Replays to the chosen destinations only (checked by {@link #checkDestinations}), or, when none are chosen, to
     * every destination the router picks. A chosen destination the routing table does not give this message is
     * refused ({@link JournalReplayRefusedException}): a replay never sends a message where it would not go.
     */
    public Replayed replay(long journalId, List<String> destinations) {
        List<String> chosen = checkDestinations(destinations);
        JournalEntry original = journal.find(journalId)
                .orElseThrow(() -> new JournalEntryNotFoundException(journalId));
        if (!Hl7v2Intake.CHANNEL.equals(original.channel())) {
            throw new IllegalArgumentException("Replay is available for channel " + Hl7v2Intake.CHANNEL);
        }
        if (MessageStatus.REJECTED.dbValue().equals(original.status())) {
            // the sender was told AR/AE and owns the message; it may lack MSH-10 or its header altogether
            throw new JournalReplayRefusedException("Journal entry " + journalId
                    + " was rejected at intake (its sender was answered AR or AE) and is not replayed");
        }
        byte[] raw = journal.content(journalId).orElseThrow(() -> new JournalEntryNotFoundException(journalId));
        Hl7MessageHeader h = reader.read(raw).header();
        requireRouted(journalId, h, chosen);
        String patientKey = journal.patientKey(h.patientId(), h.patientAuthority());
        Instant now = Journal.now();
        long id = journal.store(new Journal.Metadata(original.channel(), h.sender(), h.receiver(), h.messageCode(),
                h.triggerEvent(), h.controlId(), h.version(), patientKey), raw, now, MessageStatus.QUEUED, null,
                journalId);
        AtomicBoolean handedOver = new AtomicBoolean();
        try {
            send(raw, id, now, original.channel(), h, patientKey, chosen, handedOver);
        } catch (JmsException e) {
            if (handedOver.get() && SendOutcome.mayHaveBeenTaken(e)) {
                // the stages may be moving it already: "error" would be false, and would stay until "delivered"
                String note = "Replay queue outcome unknown (the broker did not answer; it may be on its way): "
                        + e.getMostSpecificCause().getMessage();
                journal.statusNow(id, now, MessageStatus.QUEUED, note);
                return new Replayed(journalId, id, chosen, note);
            }
            // the row was committed before the send: it must not read "queued" for a message that is nowhere
            String reason = "Replay not queued: " + e.getMostSpecificCause().getMessage();
            journal.statusNow(id, now, MessageStatus.ERROR, reason);
            throw new JournalReplayNotQueuedException(journalId, id, chosen, reason, e);
        }
        return new Replayed(journalId, id, chosen, null);
    }

    private void requireRouted(long journalId, Hl7MessageHeader h, List<String> chosen) {
        List<String> routed = router.destinationsFor(h.sender(), h.messageCode(), h.triggerEvent());
        List<String> elsewhere = chosen.stream().filter(n -> !routed.contains(n)).toList();
        if (!elsewhere.isEmpty()) {
            throw new JournalReplayRefusedException("Journal entry " + journalId + " is not routed to "
                    + String.join(", ", elsewhere) + " (the routing table sends it to "
                    + (routed.isEmpty() ? "no destination" : String.join(", ", routed)) + ")");
        }
    }

    /** Sends to the ingress queue; {@code handedOver} is set once the message goes to the producer. */
    private void send(byte[] raw, long id, Instant now, String channel, Hl7MessageHeader h, String patientKey,
                      List<String> chosen, AtomicBoolean handedOver) {
        jms.send(ingressQueue, session -> {
            BytesMessage m = session.createBytesMessage();
            m.writeBytes(raw);
            m.setLongProperty(CarebusHeaders.JOURNAL_ID, id);
            m.setLongProperty(CarebusHeaders.RECEIVED_AT, now.toEpochMilli());
            m.setStringProperty(CarebusHeaders.CHANNEL, channel);
            m.setStringProperty(CarebusHeaders.SENDER, h.sender());
            m.setStringProperty(CarebusHeaders.MESSAGE_TYPE, h.messageCode());
            m.setStringProperty(CarebusHeaders.TRIGGER_EVENT, h.triggerEvent());
            m.setStringProperty(CarebusHeaders.CONTROL_ID, h.controlId());
            m.setStringProperty(CarebusHeaders.VERSION, h.version());
            m.setStringProperty(CarebusHeaders.CHARSET, h.charset().name());
            m.setBooleanProperty(CarebusHeaders.REPLAY, true);
            if (!chosen.isEmpty()) {
                m.setStringProperty(CarebusHeaders.REPLAY_DESTINATIONS, String.join(",", chosen));
            }
            if (!patientKey.isEmpty()) {
                m.setStringProperty(CarebusHeaders.PATIENT_KEY, patientKey);
                m.setStringProperty(CarebusHeaders.JMS_GROUP, patientKey);
            }
            handedOver.set(true);   // JmsTemplate sends the message as soon as this returns
            return m;
        });
    }
}
