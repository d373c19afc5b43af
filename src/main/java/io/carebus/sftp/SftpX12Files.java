package io.carebus.sftp;

import io.carebus.CarebusHeaders;
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

    private final X12Intake intake;
    private final io.carebus.x12.intake.X12Canonical canonical;

    public SftpX12Files(X12Intake intake, io.carebus.x12.intake.X12Canonical canonical) {
        this.intake = intake;
        this.canonical = canonical;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        String partner = in.getHeader(PARTNER, String.class);
        String name = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        byte[] bytes = in.getBody(byte[].class);
        X12Intake.Outcome outcome = intake.receive(partner, name, bytes);
        in.setHeader(FOLDER, outcome.folder());
        in.setHeader(CarebusHeaders.CHANNEL, X12Intake.CHANNEL);
        in.setHeader(ENQUEUE, outcome.enqueue());
        if (outcome.enqueue()) {
            // the journal row the transform stage moves along
            in.setHeader(CarebusHeaders.JOURNAL_ID, outcome.journalId());
            in.setHeader(CarebusHeaders.RECEIVED_AT, outcome.receivedAt().toEpochMilli());
            in.setHeader(CarebusHeaders.CONTROL_ID, outcome.controlNumber());
        }
        // the 999 / TA1 goes to outbound/ as <original name>.ack; the body stays the file for the ingress queue
        in.setHeader("CarebusX12AckFile", name + ".ack");
        in.setHeader(HAS_ACK, outcome.acknowledgment() != null);
        in.setBody(bytes);
        exchange.setProperty(ACK, outcome.acknowledgment() == null ? "" : outcome.acknowledgment());
    }

    /** The transform stage: the canonical messages of an interchange taken from the ingress queue. */
    public java.util.List<String> canonical(Exchange exchange) {
        java.util.List<String> out = new java.util.ArrayList<>();
        for (io.carebus.x12.intake.X12Canonical.Message m : canonical.messages(
                exchange.getMessage().getBody(byte[].class))) {
            out.add(m.body());
        }
        return out;
    }
}
