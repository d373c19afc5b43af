package io.carebus.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carebus.conversion.er7.Er7Escapes;
import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7ParseException;
import io.carebus.conversion.er7.Er7Segment;
import org.junit.jupiter.api.Test;

/** The ER7 tokenizer: delimiters from MSH-1/MSH-2, segment endings, repetitions, components, escapes. */
class Er7MessageTest {

    @Test
    void delimitersComeFromMsh1AndMsh2() {
        Er7Message m = Er7Message.parse("MSH#*@!$#APP#FAC#R#RF#20250101##ADT*A01#1#P#2.5.1\rPID#1##A*B*C*D$E$F@X*Y\r");
        assertThat(m.delimiters().field()).isEqualTo('#');
        assertThat(m.delimiters().component()).isEqualTo('*');
        assertThat(m.messageCode()).isEqualTo("ADT");                                  // MSH-9.1
        assertThat(m.triggerEvent()).isEqualTo("A01");                                // MSH-9.2
        Er7Segment pid = m.first("PID");
        String pid3 = pid.field(3);
        assertThat(Er7Message.piece(pid3, '@', 2)).isEqualTo("X*Y");                    // PID-3, 2nd repetition
        String first = Er7Message.piece(pid3, '@', 1);
        assertThat(Er7Message.piece(first, '*', 4)).isEqualTo("D$E$F");                  // PID-3.4
        assertThat(Er7Message.piece(Er7Message.piece(first, '*', 4), '$', 2)).isEqualTo("E");   // PID-3.4.2
    }

    @Test
    void segmentsMayEndInCrLfOrCrlfAndMsh2MayCarryTheTruncationCharacter() {
        Er7Message m = Er7Message.parse("MSH|^~\\&#|A|B|C|D|20250101||ORU^R01|9|P|2.7\r\nPID|1||X\nOBX|1|ST|C||V\r");
        assertThat(m.segments()).extracting(Er7Segment::name).containsExactly("MSH", "PID", "OBX");
        assertThat(m.delimiters().subcomponent()).isEqualTo('&');
        assertThat(m.version()).isEqualTo("2.7");                                      // MSH-12
        assertThat(m.first("OBX").field(5)).isEqualTo("V");                            // OBX-5
    }

    /** The converter's sender is the journal's: senders known by their OIDs alone are told apart. */
    @Test
    void theSenderKeepsWholeHdsWhenAUniversalIdIsGiven() {
        assertThat(Er7Message.parse("MSH|^~\\&|LAB|NORTH^^|C|D|1||ADT^A01|1|P|2.5\r").sender()).isEqualTo("LAB^NORTH");
        String first = Er7Message.parse("MSH|^~\\&|^2.16.840.1.113883.3.1^ISO|^1.2.3^ISO|C|D|1||ADT^A01|1|P|2.5\r").sender();
        String second = Er7Message.parse("MSH|^~\\&|^2.16.840.1.113883.3.2^ISO|^1.2.3^ISO|C|D|1||ADT^A01|1|P|2.5\r").sender();
        assertThat(first).isEqualTo("^2.16.840.1.113883.3.1^ISO|^1.2.3^ISO").isNotEqualTo(second);
        assertThat(Er7Message.parse("MSH#*@!$#LAB*1.2.3*ISO#NORTH#C#D#1##ADT*A01#1#P#2.5\r").sender())
                .isEqualTo("LAB^1.2.3^ISO|NORTH");
    }

    @Test
    void escapeSequencesAreReadAndWritten() {
        Er7Message m = Er7Message.parse("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\r");
        assertThat(m.text("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f")).isEqualTo("a|b^c&d~e\\f");
        assertThat(m.text("line1\\.br\\line2")).isEqualTo("line1\nline2");
        assertThat(m.text("\\X4869\\ there")).isEqualTo("Hi there");
        assertThat(m.text("\\H\\bold\\N\\")).isEqualTo("bold");
        assertThat(m.text("no \\ escape")).isEqualTo("no \\ escape");
        assertThat(Er7Escapes.escape("a|b^c&d~e\\f\ng", m.delimiters())).isEqualTo("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f\\.br\\g");
    }

    @Test
    void emptyAndDeleteValuesDiffer() {
        Er7Message m = Er7Message.parse("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPID|1||X||\"\"\r");
        assertThat(m.first("PID").field(4)).isEmpty();                                  // PID-4 not sent
        assertThat(Er7Message.isDeleteValue(m.first("PID").field(5))).isTrue();         // PID-5 "" = delete
        assertThat(m.first("PID").field(40)).isEmpty();
    }

    @Test
    void textWithoutMshIsRefused() {
        assertThatThrownBy(() -> Er7Message.parse("PID|1||X")).isInstanceOf(Er7ParseException.class)
                .hasMessageContaining("no MSH");
        assertThatThrownBy(() -> Er7Message.parse("MSH|")).isInstanceOf(Er7ParseException.class);
    }
}
