package io.carebus.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The header reader alone: MSH-1/MSH-2, MSH-3..6 as whole HDs (HL7 v2.5 §2.A.33) and the sender key, MSH-18. */
class Hl7HeaderReaderTest {

    private final Hl7HeaderReader reader = new Hl7HeaderReader(StandardCharsets.UTF_8,
            Charset.forName("windows-1252"));

    private Hl7MessageHeader header(String msh3, String msh4) {
        return read("MSH|^~\\&|" + msh3 + "|" + msh4 + "|CAREBUS|PMS|20250101120000||ADT^A01|C1|P|2.5.1\r");
    }

    private Hl7MessageHeader read(String message) {
        return reader.read(message.getBytes(StandardCharsets.ISO_8859_1)).header();
    }

    @Test
    void sendersToldApartOnlyByTheirUniversalIdHaveDifferentKeys() {
        assertThat(header("^2.16.840.1.113883.3.1^ISO", "").sender())
                .isEqualTo("^2.16.840.1.113883.3.1^ISO|")
                .isNotEqualTo(header("^2.16.840.1.113883.3.2^ISO", "").sender());
        assertThat(header("LAB^1.2.3^ISO", "NORTH").sender())
                .isEqualTo("LAB^1.2.3^ISO|NORTH")
                .isNotEqualTo(header("LAB^4.5.6^ISO", "NORTH").sender());
        assertThat(header("LAB", "^1.2.3^ISO").sender()).isNotEqualTo(header("LAB", "^4.5.6^ISO").sender());
    }

    @Test
    void aNamespaceAloneKeepsItsKeyAndTrailingEmptyComponentsDoNotCount() {
        assertThat(header("LAB", "NORTH").sender()).isEqualTo("LAB^NORTH");
        assertThat(header("LAB^^", "NORTH^").sender()).isEqualTo("LAB^NORTH");
        assertThat(header("LAB", "").sender()).isEqualTo("LAB^");
        assertThat(header("LAB^1.2.3^ISO^", "").sendingApplication()).isEqualTo("LAB^1.2.3^ISO");
    }

    @Test
    void msh3AndMsh4CannotRunIntoEachOther() {
        assertThat(header("A^B", "C").sender()).isNotEqualTo(header("A", "B^C").sender());
    }

    @Test
    void theReceiverIsKeyedAsTheSenderIs() {
        Hl7MessageHeader h = read("MSH|^~\\&|EHR|HOSP|^1.2.3^ISO|PMS^^|20250101120000||ADT^A01|C1|P|2.5.1\r");
        assertThat(h.receiver()).isEqualTo("^1.2.3^ISO|PMS");
    }

    @Test
    void theKeyJoinsComponentsWithACaretWhateverTheMessagesDelimiters() {
        Hl7MessageHeader h = read("MSH|$~\\&|LAB$1.2.3$ISO|NORTH|CAREBUS|PMS|20250101120000||ADT$A01|C1|P|2.5.1\r");
        assertThat(h.sendingApplication()).isEqualTo("LAB$1.2.3$ISO");          // the message's own delimiters
        assertThat(h.sender()).isEqualTo("LAB^1.2.3^ISO|NORTH");
        assertThat(h.triggerEvent()).isEqualTo("A01");
    }

    @Test
    void aMissingOrBadFieldSeparatorOrEncodingCharactersIsARejection() {
        assertRejected("MSH\rEVN|A01|20250101\r", 1, "102");
        assertRejected("MSHA|^~\\&|EHR|HOSP\r", 1, "102");
        assertRejected("MSH|\rEVN|A01|20250101\r", 2, "102");
        assertRejected("MSH|^|EHR|HOSP|CAREBUS\r", 2, "102");
    }

    @Test
    void aRefusedMsh18StillNamesTheMessage() {
        for (String msh18 : java.util.List.of("UNICODE UTF-16", "NO-SUCH-CHARSET", "ISO-2022-CN", "x-JISAutoDetect")) {
            Hl7RejectException e = assertRejected("MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01|C7|P|2.5.1"
                    + "||||||" + msh18 + "\rPID|1||X^^^HOSP^MR\r", 18, "103");
            assertThat(e.header()).as(msh18).isNotNull();
            assertThat(e.header().controlId()).isEqualTo("C7");
            assertThat(e.header().sender()).isEqualTo("EHR^HOSP");
            assertThat(e.header().version()).isEqualTo("2.5.1");
            assertThat(e.header().charset()).isEqualTo(StandardCharsets.ISO_8859_1);   // the ACK can be written
        }
    }

    @Test
    void charsetsJavaCannotWriteAreNotTaken() {
        assertThat(Hl7Charsets.forMsh18("ISO-2022-CN")).isEmpty();
        assertThat(Hl7Charsets.forMsh18("x-JISAutoDetect")).isEmpty();
        assertThat(Hl7Charsets.forMsh18("ISO IR87")).contains(Charset.forName("ISO-2022-JP"));
        assertThat(Hl7Charsets.forMsh18("8859/15")).contains(Charset.forName("ISO-8859-15"));
    }

    private Hl7RejectException assertRejected(String message, int field, String code) {
        Throwable thrown = catchThrowable(() -> reader.read(message.getBytes(StandardCharsets.ISO_8859_1)));
        assertThat(thrown).as(message).isInstanceOf(Hl7RejectException.class);
        Hl7RejectException e = (Hl7RejectException) thrown;
        assertThat(e.location()).as(message).isEqualTo(Hl7RejectException.ErrorLocation.of("MSH", field));
        assertThat(e.errorCode()).as(message).isEqualTo(code);
        assertThat(e.isReject()).isTrue();
        return e;
    }
}
