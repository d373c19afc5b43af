package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;

import io.carebus.x12.fhir.X12ToFhir;
import io.carebus.x12.intake.X12Canonical;
import io.carebus.x12.schema.SchemaRegistry;
import org.junit.jupiter.api.Test;

/** The X12 transform stage: one message per claim (837), per claim payment (835), per response. */
class X12CanonicalTest {

    final X12Canonical canonical = new X12Canonical(new X12Service(SchemaRegistry.standard()), new X12ToFhir());

    @Test
    void remittanceGivesOnePostingEventPerClaim() throws IOException {
        String clean = cleanRemittance();
        List<X12Canonical.Message> messages = canonical.messages(clean.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(messages).hasSize(2).allSatisfy(m -> {
            assertThat(m.mediaType()).isEqualTo("application/fhir+json");
            assertThat(m.body()).contains("\"resourceType\": \"ExplanationOfBenefit\"");
        });
    }

    /** The managed-care sample made clean: a real BPR16 date and the required PER*BL of the payer. */
    static String cleanRemittance() throws IOException {
        return Files.readString(X12CorpusTest.CORPUS.resolve("835_005010X221A1/managed-care.835"),
                StandardCharsets.ISO_8859_1).replace("*20002316~", "*20020316~")
                .replace("N4*RAPID CITY*SD*55111~", "N4*RAPID CITY*SD*55111~PER*BL*EDI DESK*TE*8005551212~")
                .replace("SE*26*112233~", "SE*27*112233~");
    }

    @Test
    void aLargeInterchangeStreamsTheSameMessagesOneAtATime() throws IOException {
        byte[] claims = cleanRemittance().getBytes(StandardCharsets.ISO_8859_1);
        int expected = canonical.messages(claims).size();
        List<String> streamed = new java.util.ArrayList<>();
        try (io.carebus.x12.intake.CanonicalMessageStream stream = new io.carebus.x12.intake.CanonicalMessageStream(
                canonical, new java.io.ByteArrayInputStream(claims), null, "test")) {
            stream.forEachRemaining(streamed::add);
        }
        assertThat(streamed).hasSize(expected).hasSize(2)
                .allSatisfy(m -> assertThat(m).contains("\"resourceType\": \"ExplanationOfBenefit\""));
    }

    @Test
    void aStreamThatCannotBeReadFailsTheSplitter() {
        java.io.InputStream broken = new java.io.InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("disk gone");
            }
        };
        io.carebus.x12.intake.CanonicalMessageStream stream = new io.carebus.x12.intake.CanonicalMessageStream(
                canonical, broken, null, "test");
        assertThat(org.assertj.core.api.Assertions.catchThrowable(stream::hasNext))
                .isInstanceOf(RuntimeException.class);
    }

    @Test
    void onlyTheInterchangesListedAreProcessed() throws IOException {
        byte[] remittance = cleanRemittance().getBytes(StandardCharsets.ISO_8859_1);
        String isa13 = new String(remittance, 90, 9, StandardCharsets.ISO_8859_1);
        assertThat(canonical.messages(remittance, java.util.Set.of(isa13))).hasSize(2);
        // an interchange answered with a TA1 only (duplicate, another sender) gives nothing
        assertThat(canonical.messages(remittance, java.util.Set.of("999999999"))).isEmpty();
    }

    @Test
    void claimFileGivesOneTransactionSetPerClaim() throws IOException {
        List<X12Canonical.Message> messages = canonical.messages(Files.readAllBytes(
                X12CorpusTest.CORPUS.resolve("837_005010X222A2/demo.example1.837")));
        assertThat(messages).hasSize(1);
        assertThat(messages.get(0).body()).startsWith("ST*837*0021*005010X222A2~").contains("CLM*26463774*");
    }

    @Test
    void rejectedTransactionSetsAreNotPassedOn() throws IOException {
        // this sample's SE02 does not echo ST02: rejected with IK5 R 3
        assertThat(canonical.messages(Files.readAllBytes(X12CorpusTest.CORPUS.resolve(
                "271_005010X279A1/subscriber-health-benefit-check-error.271")))).isEmpty();
        assertThat(canonical.messages(Files.readAllBytes(X12CorpusTest.CORPUS.resolve(
                "271_005010X279A1/subscriber-health-benefit-check.271")))).hasSize(1);
    }
}
