package io.carebus.journal;

import java.time.Instant;

import io.carebus.CarebusHeaders;
import io.carebus.hl7v2.Hl7HeaderReader;
import io.carebus.hl7v2.Hl7MessageHeader;
import io.carebus.hl7v2.Hl7v2Intake;
import jakarta.jms.BytesMessage;
import org.springframework.jms.JmsException;
import org.springframework.jms.core.JmsTemplate;

/**
 * Replays a journaled message: its original bytes become a new journal row (replay_of = the original) and go
 * onto the ingress queue again, past duplicate detection, through every stage. A message rejected at intake is
 * not replayed. When the broker does not take the message, the new row is marked {@code error} with the reason and
 * {@link JournalReplayNotQueuedException} is thrown.
 */
public class JournalReplay {

    private final Journal journal;
    private final Hl7HeaderReader reader;
    private final JmsTemplate jms;
    private final String ingressQueue;

    public JournalReplay(Journal journal, Hl7HeaderReader reader, JmsTemplate jms, String ingressQueue) {
        this.journal = journal;
        this.reader = reader;
        this.jms = jms;
        this.ingressQueue = ingressQueue;
    }

    /** Returns the new journal id. */
    public long replay(long journalId) {
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
        String patientKey = journal.patientKey(h.patientId(), h.patientAuthority());
        Instant now = Journal.now();
        long id = journal.store(new Journal.Metadata(original.channel(), h.sender(), h.receiver(), h.messageCode(),
                h.triggerEvent(), h.controlId(), h.version(), patientKey), raw, now, MessageStatus.QUEUED, null,
                journalId);
        try {
            send(raw, id, now, original.channel(), h, patientKey);
        } catch (JmsException e) {
            // the row was committed before the send: it must not read "queued" for a message that is nowhere
            String reason = "Replay not queued: " + e.getMostSpecificCause().getMessage();
            journal.statusNow(id, now, MessageStatus.ERROR, reason);
            throw new JournalReplayNotQueuedException(journalId, id, reason, e);
        }
        return id;
    }

    private void send(byte[] raw, long id, Instant now, String channel, Hl7MessageHeader h, String patientKey) {
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
            if (!patientKey.isEmpty()) {
                m.setStringProperty(CarebusHeaders.PATIENT_KEY, patientKey);
                m.setStringProperty(CarebusHeaders.JMS_GROUP, patientKey);
            }
            return m;
        });
    }
}
