package io.carebus.sftp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import io.carebus.CarebusHeaders;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalEntryNotFoundException;
import io.carebus.x12.intake.CanonicalMessageStream;
import io.carebus.x12.intake.X12FileUnreadableException;
import io.carebus.x12.intake.X12Intake;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The inbound-sftp-x12 route's steps: hands a file taken from a partner's inbound/ to the X12 intake, then names
 * the acknowledgment file for outbound/ and the folder the original goes to (archive/ or error/).
 */
public class SftpX12Files {

    /** Where the original file goes once processed: archive or error. */
    public static final String FOLDER = "CarebusX12Folder";
    /** Trading partner whose drop box the file came from. */
    public static final String PARTNER = "CarebusX12Partner";
    /** True when there is a TA1 / 999 to write (a file taken before gets none). */
    public static final String HAS_ACK = "CarebusX12HasAck";
    /** True when the file goes on to the X12 ingress queue (something in it was accepted). */
    public static final String ENQUEUE = "CarebusX12Enqueue";
    /** Exchange property holding the TA1 / 999 text. */
    public static final String ACK = "CarebusX12Ack";
    /**
     * True when the file is too large to travel on the ingress queue: the message is empty and the transform stage
     * reads the interchange from the journal row (CarebusJournalId), streaming.
     */
    public static final String CONTENT_IN_JOURNAL = "CarebusX12ContentInJournal";
    /** ISA13s (comma-separated) of the interchanges in the file the transform stage processes. */
    public static final String INTERCHANGES = "CarebusX12Interchanges";

    private final X12Intake intake;
    private final io.carebus.x12.intake.X12Canonical canonical;
    private final Journal journal;

    public SftpX12Files(X12Intake intake, io.carebus.x12.intake.X12Canonical canonical, Journal journal) {
        this.intake = intake;
        this.canonical = canonical;
        this.journal = journal;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        String partner = in.getHeader(PARTNER, String.class);
        String name = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        // the consumer streamed the file to a local work file (localWorkDirectory): read from there, never whole
        String workPath = in.getHeader(Exchange.FILE_LOCAL_WORK_PATH, String.class);
        if (workPath == null) {
            throw new LocalWorkFileMissingException(name);
        }
        Path file = Path.of(workPath);
        X12Intake.Outcome outcome = intake.receive(partner, name, file);
        in.setHeader(FOLDER, outcome.folder());
        in.setHeader(CarebusHeaders.CHANNEL, X12Intake.CHANNEL);
        in.setHeader(ENQUEUE, outcome.enqueue());
        if (outcome.enqueue()) {
            // the journal row the transform stage moves along
            in.setHeader(CarebusHeaders.JOURNAL_ID, outcome.journalId());
            in.setHeader(CarebusHeaders.RECEIVED_AT, outcome.receivedAt().toEpochMilli());
            in.setHeader(CarebusHeaders.CONTROL_ID, outcome.controlNumber());
            in.setHeader(INTERCHANGES, String.join(",", outcome.interchanges()));
        }
        // the 999 / TA1 goes to outbound/ as <original name>.ack; the body is what the ingress queue gets: the bytes,
        // or nothing when the file is large and the transform stage reads it from the journal
        in.setHeader("CarebusX12AckFile", name + ".ack");
        in.setHeader(HAS_ACK, outcome.acknowledgment() != null);
        long size = size(file, name);
        boolean large = outcome.enqueue() && journal.keptAsFile(size);
        in.setHeader(CONTENT_IN_JOURNAL, large);
        in.setBody(large || !outcome.enqueue() ? new byte[0] : readAll(file, name));
        exchange.setProperty(ACK, outcome.acknowledgment() == null ? "" : outcome.acknowledgment());
    }

    /** The transform stage: the canonical messages of an interchange taken from the ingress queue. */
    public java.util.Iterator<String> canonical(Exchange exchange) {
        Message in = exchange.getMessage();
        String listed = in.getHeader(INTERCHANGES, String.class);
        java.util.Set<String> interchanges = listed == null ? null : java.util.Set.of(listed.split(","));
        if (Boolean.TRUE.equals(in.getHeader(CONTENT_IN_JOURNAL, Boolean.class))) {
            // a large interchange: read from the journal and split as it streams
            long id = in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
            InputStream content = journal.contentStream(id).orElseThrow(() -> new JournalEntryNotFoundException(id));
            return new CanonicalMessageStream(canonical, content, interchanges, Long.toString(id));
        }
        java.util.List<String> out = new java.util.ArrayList<>();
        for (io.carebus.x12.intake.X12Canonical.Message m : canonical.messages(in.getBody(byte[].class),
                interchanges)) {
            out.add(m.body());
        }
        return out.iterator();
    }

    private static long size(Path file, String name) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new X12FileUnreadableException(name, e);
        }
    }

    private static byte[] readAll(Path file, String name) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new X12FileUnreadableException(name, e);
        }
    }
}
