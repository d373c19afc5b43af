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

    private final X12Intake intake;

    public SftpX12Files(X12Intake intake) {
        this.intake = intake;
    }

    public void receive(Exchange exchange) {
        Message in = exchange.getMessage();
        String partner = in.getHeader(PARTNER, String.class);
        String name = in.getHeader(Exchange.FILE_NAME_ONLY, String.class);
        byte[] bytes = in.getBody(byte[].class);
        X12Intake.Outcome outcome = intake.receive(partner, name, bytes);
        in.setHeader(FOLDER, outcome.folder());
        in.setHeader(CarebusHeaders.CHANNEL, X12Intake.CHANNEL);
        if (!outcome.journalIds().isEmpty()) {
            in.setHeader(CarebusHeaders.JOURNAL_ID, outcome.journalIds().get(0));
        }
        // the 999 / TA1 goes to outbound/ as <original name>.ack
        in.setHeader("CarebusX12AckFile", name + ".ack");
        // a file message with a null body would read the file again: an empty body and a flag instead
        in.setHeader(HAS_ACK, outcome.acknowledgment() != null);
        in.setBody(outcome.acknowledgment() == null ? "" : outcome.acknowledgment());
    }
}
