package io.carebus.hl7v2;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.carebus.hl7v2.AckBuilder.Code;
import org.junit.jupiter.api.Test;

/** The acknowledgement text alone: MSH-3..6 (HD, HL7 v2.5 §2.A.33) swapped whole, MSA-2 = MSH-10. */
class AckBuilderTest {

    private final Hl7HeaderReader reader = new Hl7HeaderReader(StandardCharsets.UTF_8,
            Charset.forName("windows-1252"));
    private final AckBuilder acks = new AckBuilder("CAREBUS", "ENGINE");

    private Hl7MessageHeader header(String msh) {
        return reader.read((msh + "\r").getBytes(StandardCharsets.ISO_8859_1)).header();
    }

    @Test
    void theAckSwapsTheWholeHdsOfMsh3To6() {
        String ack = acks.build(header("MSH|^~\\&|^2.16.840.1.113883.3.1^ISO|LAB^1.2.3^ISO|^2.16.840.1.113883.3.9^ISO"
                + "|PMS^^|20250101120000||ADT^A01|C1|P|2.5.1"), Code.AA, null);
        assertThat(field(ack, "MSH", 3)).isEqualTo("^2.16.840.1.113883.3.9^ISO");   // their MSH-5
        assertThat(field(ack, "MSH", 4)).isEqualTo("PMS");                           // their MSH-6
        assertThat(field(ack, "MSH", 5)).isEqualTo("^2.16.840.1.113883.3.1^ISO");   // their MSH-3
        assertThat(field(ack, "MSH", 6)).isEqualTo("LAB^1.2.3^ISO");                // their MSH-4
        assertThat(field(ack, "MSA", 2)).isEqualTo("C1");
    }

    @Test
    void theAckKeepsTheMessagesOwnComponentSeparator() {
        String ack = acks.build(header("MSH|$~\\&|LAB$1.2.3$ISO|NORTH||$4.5.6$ISO|20250101120000||ADT$A01|C1|P|2.5.1"),
                Code.AA, null);
        assertThat(field(ack, "MSH", 3)).isEqualTo("CAREBUS");                      // their MSH-5 empty: ours
        assertThat(field(ack, "MSH", 4)).isEqualTo("$4.5.6$ISO");
        assertThat(field(ack, "MSH", 5)).isEqualTo("LAB$1.2.3$ISO");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK$A01$ACK");
    }
}
