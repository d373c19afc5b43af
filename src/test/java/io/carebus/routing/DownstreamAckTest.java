package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A refusing ACK's codes reach the error text, its free text only where the destination allows it. */
class DownstreamAckTest {

    private static final String MSH = "MSH|^~\\&|DOWN|STREAM|CAREBUS|PMS|20250101000000||ACK^A01^ACK|A1|P|2.5.1\r";

    @Test
    void aV25ApplicationErrorNamesItsErrCodesSeverityAndLocation() {
        String ack = MSH + "MSA|AE|MSG1|Patient DOE^JANE not found\r"
                + "ERR||PID^1^3^1^1|204^Unknown key identifier^HL70357|E|||MRN 12345 of DOE JANE unknown|Call DOE\r"
                + "ERR||PV1^1^3|103^whatever the downstream wrote^HL70357|W\r";
        RuntimeException failure = DownstreamAck.failure(ack, "MSG1");
        assertThat(failure).isInstanceOf(AckErrorException.class);
        assertThat(failure.getMessage()).isEqualTo("Destination answered AE: "
                + "ERR-3 204 Unknown key identifier, ERR-4 E, ERR-2 PID^1^3^1^1; "
                + "ERR#2 ERR-3 103 Table value not found, ERR-4 W, ERR-2 PV1^1^3");
        assertThat(failure.getMessage()).doesNotContain("DOE", "12345", "whatever");
        assertThat(((DownstreamRefusal) failure).ackFreeText()).isEmpty();
    }

    @Test
    void aRejectKeepsItsCodesToo() {
        String ack = MSH + "MSA|AR|MSG2\rERR||MSH^1^9|200^Unsupported message type^HL70357|E\r";
        RuntimeException failure = DownstreamAck.failure(ack, "MSG2");
        assertThat(failure).isInstanceOf(AckRejectedException.class);
        assertThat(failure.getMessage()).isEqualTo("Destination rejected the message (AR, application reject): "
                + "ERR-3 200 Unsupported message type, ERR-4 E, ERR-2 MSH^1^9");
    }

    @Test
    void aV23AckNamesMsa6AndErr1() {
        // HL7 v2.3: MSA-6 error condition (CE), ERR-1 segment ID ^ sequence ^ field position ^ code (CE, sub-components)
        String ack = "MSH|^~\\&|DOWN|STREAM|||20250101000000||ACK|A2|P|2.3\r"
                + "MSA|AE|MSG3|Field PID-7 1980-13-01 invalid|||102^Data type error^HL70357\r"
                + "ERR|PID^1^7^102&Data type error&HL70357~PV1^1^2^101\r";
        RuntimeException failure = DownstreamAck.failure(ack, "MSG3");
        assertThat(failure.getMessage()).isEqualTo("Destination answered AE: MSA-6 102 Data type error; "
                + "ERR-1 PID^1^7 102 Data type error, ERR-1 PV1^1^2 101 Required field missing");
        assertThat(failure.getMessage()).doesNotContain("1980");
    }

    @Test
    void localCodesAreNamedWithTheirSystemAndAnythingElseIsLeftOut() {
        String ack = MSH + "MSA|AE|MSG4\r"
                + "ERR||PID^1^5|E-17^Name mismatch for SMITH^L|E\r"
                + "ERR||DOE JANE^x|SMITH JOHN 1970-01-01|severe, patient SMITH\r";
        RuntimeException failure = DownstreamAck.failure(ack, "MSG4");
        assertThat(failure.getMessage()).isEqualTo("Destination answered AE: ERR-3 E-17 (L), ERR-4 E, ERR-2 PID^1^5");
        assertThat(failure.getMessage()).doesNotContain("SMITH", "DOE");
    }

    @Test
    void theFreeTextIsKeptApartWhenTheDestinationAllowsIt() {
        String ack = MSH + "MSA|AE|MSG5|Patient not found\r"
                + "ERR||PID^1^3|204^Unknown key identifier^HL70357|E|||MRN 12345 unknown|Call the ward\r";
        DownstreamRefusal failure = (DownstreamRefusal) DownstreamAck.failure(ack, "MSG5", true);
        assertThat(failure.getMessage()).doesNotContain("12345", "Patient not found");
        assertThat(failure.ackFreeText()).isEqualTo("MSA-3 Patient not found; ERR#1 ERR-3.2 Unknown key identifier; "
                + "ERR#1 ERR-7 MRN 12345 unknown; ERR#1 ERR-8 Call the ward");
    }

    @Test
    void anAcceptIsNoFailureAndAnErrorWithoutErrStillNamesItsCode() {
        assertThat(DownstreamAck.failure(MSH + "MSA|AA|MSG6\r", "MSG6")).isNull();
        assertThat(DownstreamAck.failure(MSH + "MSA|CE|MSG7\r", "MSG7")).hasMessage("Destination answered CE");
    }
}
