package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;

import io.carebus.x12.ack.AcknowledgmentWriter;
import io.carebus.x12.read.X12Delimiters;
import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.TransactionResult;
import io.carebus.x12.validate.X12Validator;
import io.carebus.x12.write.InterchangeHeader;
import org.junit.jupiter.api.Test;

/**
 * Broken copies of clean corpus files get the 999 / TA1 a clearinghouse would send: the IK3 segment code, the IK4
 * element code, the IK5 / AK9 verdict, the TA1 note code. Every 999 written is itself valid against 005010X231A1.
 */
class X12BrokenInputTest {

    static final Path CLAIM = X12CorpusTest.CORPUS.resolve("837_005010X222A2/demo.example1.837");
    static final Path PAYMENT = X12CorpusTest.CORPUS.resolve("835_005010X221A1/medicare-part-a.835");
    static final Path INQUIRY = X12CorpusTest.CORPUS.resolve("270_005010X279A1/dependent-health-benefit-check.270");

    final X12Validator validator = new X12Validator(SchemaRegistry.standard());

    @Test
    void cleanClaimIsAcceptedWithA999ThatIsItselfValid() throws IOException {
        String ack = acknowledge(read(CLAIM));
        assertThat(ack).contains("AK1*HC*1*005010X222A2~", "AK2*837*0021*005010X222A2~", "IK5*A~", "AK9*A*1*1*1~")
                .doesNotContain("IK3");
        // ISA14 = 1 in the sample: a TA1 comes with the 999
        assertThat(ack).contains("TA1*000000907*131031*1147*A*000~");
    }

    @Test
    void missingRequiredSegmentIsIk3Code3() throws IOException {
        // 837P 2010AA N3 billing provider address is required
        String broken = read(CLAIM).replace("N3*234 SEAWAY ST~\n", "");
        TransactionResult t = only(broken);
        assertThat(X12CorpusTest.signatures(t)).containsExactly("N3@2010AA#3");
        assertThat(t.ackCode()).isEqualTo("R");
        assertThat(t.syntaxCodes()).contains("4", "5"); // SE01 still counts the removed segment
        String ack = acknowledge(broken);
        // IK302: the position where N3 was expected (the N4 that came instead)
        assertThat(ack).contains("IK3*N3*9*2010AA*3~", "IK5*R*4*5~", "AK9*R*1*1*0~");
    }

    @Test
    void invalidCodeValueIsIk4Code7WithTheBadValue() throws IOException {
        // 837P 2010CA DMG03 gender code: F, M or U
        String broken = read(CLAIM).replace("DMG*D8*19730501*M~", "DMG*D8*19730501*X~");
        TransactionResult t = only(broken);
        assertThat(X12CorpusTest.signatures(t)).containsExactly("DMG@2010CA#8[3:7]");
        assertThat(acknowledge(broken)).contains("IK3*DMG*24*2010CA*8~", "IK4*3*1068*7*X~", "IK5*R*5~");
    }

    @Test
    void wrongSegmentCountIsIk5Code4() throws IOException {
        String broken = read(CLAIM).replace("SE*40*0021~", "SE*41*0021~");
        TransactionResult t = only(broken);
        assertThat(t.errors()).isEmpty();
        assertThat(t.syntaxCodes()).containsExactly("4");
        assertThat(acknowledge(broken)).contains("IK5*R*4~", "AK9*R*1*1*0~");
    }

    @Test
    void controlNumberMismatchInTrailerIsIk5Code3() throws IOException {
        String broken = read(CLAIM).replace("SE*40*0021~", "SE*40*0022~");
        assertThat(only(broken).syntaxCodes()).containsExactly("3");
    }

    @Test
    void unbalancedClaimIsReportedOnClm02WithItsClaimContext() throws IOException {
        // SNIP 3: CLM02 100.00 against service lines 40 + 15 + 35 + 10
        String broken = read(CLAIM).replace("CLM*26463774*100.00*", "CLM*26463774*120.00*");
        TransactionResult t = only(broken);
        assertThat(X12CorpusTest.signatures(t)).containsExactly("CLM@2300#8[2:I12]");
        assertThat(acknowledge(broken)).contains("IK3*CLM*25*2300*8~", "CTX*CLM01:26463774~",
                "IK4*2*782*I12*120.00~");
    }

    @Test
    void unbalancedPaymentIsReportedOnBpr02() throws IOException {
        // SNIP 3: BPR02 = sum of CLP04 - PLB adjustments (138018.40 + 11980.33 + 1.27)
        String broken = read(PAYMENT).replace("BPR*C*150000.00*", "BPR*C*150001.00*");
        assertThat(X12CorpusTest.signatures(only(broken))).contains("BPR@null#8[2:I12]");
    }

    @Test
    void tooLongInvalidDateAndUnexpectedSegment() throws IOException {
        String broken = read(INQUIRY).replace("DMG*D8*19781014~", "DMG*D8*19781314~")
                .replace("NM1*03*1*SMITH*MARY~", "NM1*03*1*SMITH*" + "M".repeat(40) + "~")
                .replace("EQ*30~", "EQ*30~\nCLM*1*1~");
        TransactionResult t = only(broken.replace("SE*15*1234~", "SE*16*1234~"));
        assertThat(X12CorpusTest.signatures(t)).containsExactly("NM1@2100D#8[4:5]", "DMG@2100D#8[2:8]",
                "CLM@2110D#1");
    }

    @Test
    void unsupportedTransactionSetIsIk5Code1() {
        String x12 = isa("000000001") + "GS*HC*S*R*20240101*1200*7*X*005010X222A1~ST*841*0001~BGN*00~SE*3*0001~"
                + "GE*1*7~IEA*1*000000001~";
        TransactionResult t = only(x12);
        assertThat(t.syntaxCodes()).containsExactly("1");
    }

    @Test
    void groupCountAndControlMismatchAreAk905Codes() throws IOException {
        String broken = read(CLAIM).replace("GE*1*1~", "GE*2*9~");
        InterchangeResult result = validator.validate(in(broken)).get(0);
        assertThat(result.groups().get(0).codes()).containsExactly("4", "5");
        assertThat(result.groups().get(0).ackCode()).isEqualTo("R");
    }

    @Test
    void ieaGroupCountWrongIsTa1Note021AndNo999() throws IOException {
        String broken = read(CLAIM).replace("IEA*1*000000907~", "IEA*2*000000907~");
        InterchangeResult result = validator.validate(in(broken)).get(0);
        assertThat(result.noteCode()).isEqualTo("021");
        String ack = acknowledge(broken);
        assertThat(ack).contains("TA1*000000907*131031*1147*R*021~").doesNotContain("ST*999");
    }

    @Test
    void ieaControlNumberMismatchIsTa1Note001() throws IOException {
        String broken = read(CLAIM).replace("IEA*1*000000907~", "IEA*1*000000908~");
        assertThat(validator.validate(in(broken)).get(0).noteCode()).isEqualTo("001");
    }

    @Test
    void missingIeaIsTa1Note023() throws IOException {
        String broken = read(CLAIM).replace("IEA*1*000000907~", "");
        assertThat(validator.validate(in(broken)).get(0).noteCode()).isEqualTo("023");
    }

    @Test
    void notX12AtAllIsTa1Note022() {
        InterchangeResult result = validator.validate(in("MSH|^~\\&|A|B\r")).get(0);
        assertThat(result.noteCode()).isEqualTo("022");
    }

    @Test
    void delimitersComeFromTheIsaAndSeveralGroupsAndTransactionsAreRead() throws IOException {
        // the same claim with other delimiters (| for elements, > for components, ! as terminator), twice
        String claim = read(CLAIM).replace("\n", "");
        String body = claim.substring(claim.indexOf("GS*"), claim.indexOf("IEA*"));
        String twoGroups = claim.substring(0, 106) + body + body.replace("GS*HC*000000005*54321*20131031*1147*1*",
                "GS*HC*000000005*54321*20131031*1147*2*").replace("GE*1*1~", "GE*1*2~")
                + "IEA*2*000000907~";
        String other = twoGroups.replace('*', '|').replace(':', '>').replace('~', '!');
        List<InterchangeResult> results = validator.validate(in(other));
        assertThat(results).hasSize(1);
        assertThat(results.get(0).noteCode()).isEqualTo("000");
        assertThat(results.get(0).groups()).hasSize(2)
                .allSatisfy(g -> assertThat(g.ackCode()).isEqualTo("A"));
    }

    @Test
    void hlNumberThatDoesNotIncreaseIsIk4I12OnHl01() throws IOException {
        // TR3: HL01 begins with 1 and is incremented by one for each HL in the transaction set
        String broken = read(CLAIM).replace("HL*3*2*23*0~", "HL*2*2*23*0~");
        assertThat(X12CorpusTest.signatures(only(broken))).containsExactly("HL@2000C#8[1:I12]");
        assertThat(acknowledge(broken)).contains("IK3*HL*19*2000C*8~", "IK4*1*628*I12*2~", "IK5*R*5~");
    }

    @Test
    void hlParentThatIsNoEarlierHlIsIk4I12OnHl02() throws IOException {
        // HL02 is the HL01 of the parent: an HL that came before
        String broken = read(CLAIM).replace("HL*3*2*23*0~", "HL*3*7*23*0~");
        assertThat(X12CorpusTest.signatures(only(broken))).containsExactly("HL@2000C#8[2:I12]");
        assertThat(acknowledge(broken)).contains("IK3*HL*19*2000C*8~", "IK4*2*734*I12*7~", "IK5*R*5~");
    }

    @Test
    void hlLevelThatCannotSitUnderItsParentIsIk4I12OnHl03() throws IOException {
        // 837P: the patient (2000C, HL03 23) sits under a subscriber (2000B), not under the billing provider
        String claim = read(CLAIM).replace("HL*3*2*23*0~", "HL*3*1*23*0~");
        assertThat(X12CorpusTest.signatures(only(claim))).containsExactly("HL@2000C#8[3:I12]");
        assertThat(acknowledge(claim)).contains("IK3*HL*19*2000C*8~", "IK4*3*735*I12*23~");
        // 270: the dependent (2000D, 23) sits under the subscriber (2000C, 22), not the information receiver
        String inquiry = read(INQUIRY).replace("HL*4*3*23*0~", "HL*4*2*23*0~");
        assertThat(X12CorpusTest.signatures(only(inquiry))).containsExactly("HL@2000D#8[3:I12]");
    }

    @Test
    void aSubordinateHlUnderAnHlThatAnnouncesNoneIsIk3I9WithItsSituationalTrigger() throws IOException {
        // 837P 2000B HL04 0: no subordinate HL, yet the patient 2000C follows under it
        String broken = read(CLAIM).replace("HL*2*1*22*1~", "HL*2*1*22*0~");
        assertThat(X12CorpusTest.signatures(only(broken))).containsExactly("HL@2000C#I9");
        // 999 2100 CTX segment context: the HL at position 15 in 2000B, its HL04 (element 4, data element 736)
        assertThat(acknowledge(broken)).contains("IK3*HL*19*2000C*I9~\nCTX*SITUATIONAL TRIGGER*HL*15*2000B*4*736~",
                "IK5*R*5~");
    }

    @Test
    void aMissingSubordinateHlIsIk3I6WithItsSituationalTrigger() throws IOException {
        // 270 2000C HL04 1 announces the dependent 2000D; here it is the last HL
        String inquiry = read(INQUIRY);
        String broken = inquiry.substring(0, inquiry.indexOf("HL*4*3*23*0~")) + "EQ*30~\nSE*10*1234~\n"
                + inquiry.substring(inquiry.indexOf("GE*"));
        TransactionResult t = only(broken);
        assertThat(X12CorpusTest.signatures(t)).containsExactly("HL@2000C#I6");
        assertThat(t.errors().get(0).trigger()).isEqualTo(new io.carebus.x12.validate.SegmentContext("HL", 7,
                "2000C", 4, "736"));
        assertThat(acknowledge(broken)).contains("IK3*HL*10*2000C*I6~\nCTX*SITUATIONAL TRIGGER*HL*7*2000C*4*736~",
                "IK5*R*5~");
    }

    String acknowledge(String x12) {
        InterchangeResult result = validator.validate(in(x12)).get(0);
        String ack = new AcknowledgmentWriter().write(result, new InterchangeHeader("ZZ", "CAREBUS", "30",
                result.senderId(), "CAREBUS", "000000005", 42, 42, false, false,
                LocalDateTime.of(2026, 11, 25, 12, 0), X12Delimiters.DEFAULT));
        if (!result.envelopeError()) {
            // the 999 passes its own implementation guide
            InterchangeResult ackResult = validator.validate(in(ack)).get(0);
            assertThat(ackResult.noteCode()).isEqualTo("000");
            ackResult.groups().forEach(g -> g.transactions().forEach(t -> {
                assertThat(t.schema()).isEqualTo("999.005010X231A1");
                assertThat(t.errors()).as("999 errors in %s", ack).isEmpty();
                assertThat(t.syntaxCodes()).isEmpty();
            }));
        }
        return ack;
    }

    TransactionResult only(String x12) {
        List<InterchangeResult> results = validator.validate(in(x12));
        assertThat(results).hasSize(1);
        return results.get(0).groups().get(0).transactions().get(0);
    }

    static String isa(String control) {
        return "ISA*00*          *00*          *ZZ*SENDER         *ZZ*RECEIVER       *240101*1200*^*00501*" + control
                + "*0*T*:~";
    }

    static ByteArrayInputStream in(String x12) {
        return new ByteArrayInputStream(x12.getBytes(StandardCharsets.ISO_8859_1));
    }

    static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
