package io.carebus.hl7v2;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalEntry;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The MLLP channel end to end: ACK codes, ERR segments, duplicates, order, framing, charsets. */
class InboundMllpHl7v2Test extends EngineTestBase {

    @Autowired
    Journal journal;
    @Autowired
    org.springframework.core.env.Environment environment;
    @Autowired
    FhirContext fhirContext;

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 18);
    }

    private List<JournalEntry> journaled(String controlId) {
        return journal.repository().search(new JournalSearch(null, null, null, controlId, null, null, null, null, 10));
    }

    @Test
    void sampleAdtIsAcknowledgedAfterStorageAndReachesDownstream() throws Exception {
        String sample = Files.readString(Path.of("../shared/corpus/hl7v2/google-harmonization/adt_a01_ex1.hl7"))
                .replace("\r\n", "\r").replace('\n', '\r').replace("MSG00001", "GH-" + id());
        String controlId = field(sample, "MSH", 10);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(sample);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSA", 2)).isEqualTo(controlId);          // MSA-2 echoes MSH-10
            assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^A01^ACK");
            assertThat(field(ack, "MSH", 5)).isEqualTo("ADT1");              // back to MSH-3 of the sender
        }
        // store-then-ACK: the journal row exists the moment the ACK is out
        assertThat(journaled(controlId)).hasSize(1);
        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(controlId));
        String delivered = DOWNSTREAM.received().stream().filter(m -> m.contains(controlId)).findFirst().orElseThrow();
        assertThat(delivered).isEqualTo(sample);                              // forwarded byte for byte
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(journaled(controlId).get(0).status()));
        JournalEntry entry = journaled(controlId).get(0);
        assertThat(entry.messageType()).isEqualTo("ADT");
        assertThat(entry.triggerEvent()).isEqualTo("A01");
        assertThat(entry.patientKey()).isNotBlank().doesNotContain("PATID1234");
        assertThat(new String(journal.content(entry.id()).orElseThrow(), StandardCharsets.UTF_8)).isEqualTo(sample);
    }

    @Test
    void unsupportedVersionIsRejectedNamingMsh12() throws Exception {
        String controlId = id();
        String msg = adt(controlId, "P1").replace("|2.5.1\r", "|2.9\r");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(msg);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
            assertThat(field(ack, "MSA", 2)).isEqualTo(controlId);
            assertThat(field(ack, "ERR", 2)).isEqualTo("MSH^1^12");
            assertThat(field(ack, "ERR", 3)).startsWith("203^");                // HL7 table 0357: unsupported version
        }
        assertThat(journaled(controlId)).singleElement().extracting(JournalEntry::status).isEqualTo("rejected");
    }

    @Test
    void unsupportedMessageTypeIsRejectedNamingMsh9() throws Exception {
        String controlId = id();
        String msg = adt(controlId, "P1").replace("ADT^A01^ADT_A01", "QBP^Q11^QBP_Q11");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(msg);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
            assertThat(field(ack, "ERR", 2)).isEqualTo("MSH^1^9");
            assertThat(field(ack, "ERR", 3)).startsWith("200^");
        }
    }

    @Test
    void missingPatientIdentifierIsAnApplicationErrorNamingPid3() throws Exception {
        String controlId = id();
        String msg = adt(controlId, "X").replace("PID|1||X^^^HOSP^MR|", "PID|1|||");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(msg);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
            assertThat(field(ack, "ERR", 2)).isEqualTo("PID^1^3");
            assertThat(field(ack, "ERR", 3)).startsWith("101^");
        }
        assertThat(journaled(controlId)).singleElement().extracting(JournalEntry::status).isEqualTo("rejected");
    }

    @Test
    void olderVersionGetsErr1Layout() throws Exception {
        String controlId = id();
        String msg = adt(controlId, "X").replace("|2.5.1\r", "|2.3\r").replace("PID|1||X^^^HOSP^MR|", "PID|1|||");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(msg);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AE");
            assertThat(field(ack, "ERR", 1)).startsWith("PID^1^3^101&");     // v2.3 ERR-1 ELD
        }
    }

    @Test
    void somethingThatIsNotHl7IsRejected() throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send("hello, is this the lab?");
            assertThat(field(ack, "MSA", 1)).isEqualTo("AR");
            assertThat(field(ack, "ERR", 3)).startsWith("100^");
        }
    }

    @Test
    void enhancedModeAnswersWithCommitAcks() throws Exception {
        String accepted = id();
        String refused = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(adt(accepted, "P2").replace("|2.5.1\r", "|2.5.1|||AL|NE\r"));
            assertThat(field(ack, "MSA", 1)).isEqualTo("CA");
            ack = client.send(adt(refused, "P2").replace("|2.5.1\r", "|2.9|||AL|NE\r"));
            assertThat(field(ack, "MSA", 1)).isEqualTo("CR");
            assertThat(field(ack, "MSA", 2)).isEqualTo(refused);
        }
    }

    @Test
    void repeatedControlIdIsAcknowledgedButProcessedOnce() throws Exception {
        String controlId = id();
        String msg = adt(controlId, "P3");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(msg), "MSA", 1)).isEqualTo("AA");
            assertThat(field(client.send(msg), "MSA", 1)).isEqualTo("AA");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> journaled(controlId).stream()
                .map(JournalEntry::status).sorted().toList().equals(List.of("delivered", "duplicate")));
        assertThat(DOWNSTREAM.controlIds().stream().filter(controlId::equals)).hasSize(1);
    }

    @Test
    void sendersToldApartOnlyByTheirOidAreNotEachOthersDuplicates() throws Exception {
        String controlId = id();
        // MSH-3 an HD with the universal id alone (HL7 v2.5 §2.A.33): same MSH-10 from two different senders
        String first = adt(controlId, "P3").replace("|EHR|HOSP|", "|^2.16.840.1.113883.3.1^ISO||");
        String second = adt(controlId, "P3").replace("|EHR|HOSP|", "|^2.16.840.1.113883.3.2^ISO||");
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(first);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSH", 5)).isEqualTo("^2.16.840.1.113883.3.1^ISO");  // the whole MSH-3 back
            ack = client.send(second);
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSH", 5)).isEqualTo("^2.16.840.1.113883.3.2^ISO");
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> journaled(controlId).stream()
                .map(JournalEntry::status).toList().equals(List.of("delivered", "delivered")));
        assertThat(DOWNSTREAM.controlIds().stream().filter(controlId::equals)).hasSize(2);
    }

    @Test
    void eachPatientsMessagesArriveInOrderWhilePatientsRunInParallel() throws Exception {
        assertThat(environment.getProperty("carebus.queues.stage-consumers", Integer.class))
                .as("several consumers per stage, so the order is kept under concurrency").isGreaterThan(1);
        int patients = 6;
        int perPatient = 25;
        String run = id().substring(0, 6);
        ExecutorService senders = Executors.newFixedThreadPool(patients);
        List<Future<?>> done = new ArrayList<>();
        for (int p = 0; p < patients; p++) {
            String patient = run + "P" + p;
            done.add(senders.submit(() -> {
                try (MllpClient client = new MllpClient(MLLP_PORT)) {
                    for (int i = 0; i < perPatient; i++) {
                        String ack = client.send(adt(patient + "-" + String.format("%03d", i), patient));
                        assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        senders.shutdown();
        await().atMost(Duration.ofSeconds(60)).until(() ->
                DOWNSTREAM.controlIds().stream().filter(c -> c.startsWith(run)).count() == patients * perPatient);
        Map<String, List<String>> byPatient = DOWNSTREAM.controlIds().stream().filter(c -> c.startsWith(run))
                .collect(Collectors.groupingBy(c -> c.substring(0, c.indexOf('-'))));
        assertThat(byPatient).hasSize(patients);
        byPatient.values().forEach(ids -> assertThat(ids).isSorted().doesNotHaveDuplicates().hasSize(perPatient));
    }

    @Test
    void windows1252SentAsUtf8FallsBackAndIsStillAccepted() throws Exception {
        String controlId = id();
        // Š is 0x8A in windows-1252 only (a C1 control in ISO-8859-1); neither byte is valid UTF-8
        byte[] bytes = adt(controlId, "P4").replace("DOE^JANE", "\u0160IMON^REN\u00c9E")
                .getBytes(Charset.forName("windows-1252"));
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String ack = client.send(bytes, Charset.forName("windows-1252"));
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
        }
        JournalEntry entry = journaled(controlId).get(0);
        assertThat(journal.content(entry.id()).orElseThrow()).isEqualTo(bytes);   // original bytes kept
        HumanName name = convertedPatient(controlId).getNameFirstRep();           // PID-5 as the engine read it
        assertThat(name.getFamily()).isEqualTo("\u0160IMON");
        assertThat(name.getGivenAsSingleString()).isEqualTo("REN\u00c9E");
    }

    @Test
    void msh18CharsetIsHonoured() throws Exception {
        // bytes that windows-1252 (the fallback) reads differently: WAŁĘSA would be WA£ÊSA, the Greek name mojibake
        Map<String, String[]> names = Map.of(
                "8859/2", new String[] {"ISO-8859-2", "WA\u0141\u0118SA", "\u0141UCJA"},
                "8859/7", new String[] {"ISO-8859-7", "\u03a0\u0391\u03a0\u0391\u0394\u039f\u03a0\u039f\u03a5\u039b\u039f\u03a3",
                        "\u0395\u039b\u0395\u039d\u0397"});
        for (Map.Entry<String, String[]> each : names.entrySet()) {
            String controlId = id();
            Charset charset = Charset.forName(each.getValue()[0]);
            String family = each.getValue()[1];
            String given = each.getValue()[2];
            byte[] bytes = adt(controlId, "P5").replace("|2.5.1\r", "|2.5.1||||||" + each.getKey() + "\r")
                    .replace("DOE^JANE", family + "^" + given).getBytes(charset);
            assertThat(new String(bytes, Charset.forName("windows-1252")))
                    .as("windows-1252 reads these bytes as something else").doesNotContain(family);
            try (MllpClient client = new MllpClient(MLLP_PORT)) {
                String ack = client.send(bytes, charset);
                assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            }
            HumanName name = convertedPatient(controlId).getNameFirstRep();
            assertThat(name.getFamily()).as("PID-5.1 read in MSH-18 %s", each.getKey()).isEqualTo(family);
            assertThat(name.getGivenAsSingleString()).isEqualTo(given);
        }
    }

    @Test
    void bytesInvalidInTheDeclaredCharsetAreReadInTheFallback() throws Exception {
        String controlId = id();
        // MSH-18 says ISO-8859-7, the sender wrote windows-1252: 0xD2 (Ò) is not a character of ISO-8859-7
        byte[] bytes = adt(controlId, "P6").replace("|2.5.1\r", "|2.5.1||||||8859/7\r")
                .replace("DOE^JANE", "CORR\u00d2^JOS\u00c9").getBytes(Charset.forName("windows-1252"));
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(bytes, Charset.forName("windows-1252")), "MSA", 1)).isEqualTo("AA");
        }
        assertThat(journal.content(journaled(controlId).get(0).id()).orElseThrow()).isEqualTo(bytes);
        HumanName name = convertedPatient(controlId).getNameFirstRep();
        assertThat(name.getFamily()).isEqualTo("CORR\u00d2");                  // not CORR\ufffd
        assertThat(name.getGivenAsSingleString()).isEqualTo("JOS\u00c9");     // not JOSΙ (0xC9 in ISO-8859-7)
    }

    @Test
    void utf16AndUtf32InMsh18AreRejectedNamingMsh18() throws Exception {
        for (String msh18 : List.of("UNICODE UTF-16", "UNICODE UTF-32", "UTF-16LE")) {
            String controlId = id();
            byte[] bytes = adt(controlId, "P7").replace("|2.5.1\r", "|2.5.1||||||" + msh18 + "\r")
                    .getBytes(StandardCharsets.US_ASCII);
            try (MllpClient client = new MllpClient(MLLP_PORT)) {
                String ack = client.send(bytes, StandardCharsets.US_ASCII);
                assertThat(field(ack, "MSA", 1)).as(msh18).isEqualTo("AR");
                assertThat(field(ack, "MSA", 2)).as(msh18).isEqualTo(controlId);  // MSH was readable: MSH-10 echoed
                assertThat(field(ack, "MSH", 5)).as(msh18).isEqualTo("EHR");       // back to the sender's MSH-3
                assertThat(field(ack, "ERR", 2)).as(msh18).isEqualTo("MSH^1^18");
                assertThat(field(ack, "ERR", 3)).as(msh18).startsWith("103^");   // HL7 table 0357: table value not found
            }
            assertThat(journal.repository().search(new JournalSearch("mllp-hl7v2", null, null, null, "rejected",
                    null, null, null, 200))).anyMatch(e -> java.util.Arrays.equals(
                            journal.content(e.id()).orElseThrow(), bytes));
            assertThat(journaled(controlId)).as(msh18).singleElement().satisfies(e -> {
                assertThat(e.status()).isEqualTo("rejected");
                assertThat(e.sender()).isEqualTo("EHR^HOSP");
                assertThat(e.messageType()).isEqualTo("ADT");
            });
        }
    }

    @Test
    void charsetsJavaReadsButCannotWriteInMsh18AreRejectedAndAnswered() throws Exception {
        for (String msh18 : List.of("ISO-2022-CN", "x-JISAutoDetect")) {
            String controlId = id();
            byte[] bytes = adt(controlId, "P7").replace("|2.5.1\r", "|2.5.1||||||" + msh18 + "\r")
                    .getBytes(StandardCharsets.US_ASCII);
            try (MllpClient client = new MllpClient(MLLP_PORT)) {
                String ack = client.send(bytes, StandardCharsets.US_ASCII);
                assertThat(ack).as("an ACK, not a reset connection").isNotNull();
                assertThat(field(ack, "MSA", 1)).as(msh18).isEqualTo("AR");
                assertThat(field(ack, "MSA", 2)).as(msh18).isEqualTo(controlId);
                assertThat(field(ack, "ERR", 2)).as(msh18).isEqualTo("MSH^1^18");
                assertThat(field(ack, "ERR", 3)).as(msh18).startsWith("103^");
            }
            assertThat(journaled(controlId)).as(msh18).singleElement().extracting(JournalEntry::status)
                    .isEqualTo("rejected");
        }
    }

    @Test
    void aHeaderWithoutItsDelimitersIsRejectedAndJournaled() throws Exception {
        // MSH-1 missing, then MSH-2 missing: refused (AR), not "internal error, send again" (AE 207)
        Map<String, String> cases = Map.of("MSH\rEVN|A01|20250101\r", "MSH^1^1", "MSH|\rEVN|A01|20250101\r", "MSH^1^2");
        for (Map.Entry<String, String> each : cases.entrySet()) {
            byte[] bytes = each.getKey().getBytes(StandardCharsets.US_ASCII);
            try (MllpClient client = new MllpClient(MLLP_PORT)) {
                String ack = client.send(bytes, StandardCharsets.US_ASCII);
                assertThat(field(ack, "MSA", 1)).as(each.getKey()).isEqualTo("AR");
                assertThat(field(ack, "ERR", 2)).as(each.getKey()).isEqualTo(each.getValue());
                assertThat(field(ack, "ERR", 3)).as(each.getKey()).startsWith("102^");
            }
            assertThat(journal.repository().search(new JournalSearch("mllp-hl7v2", null, null, null, "rejected",
                    null, null, null, 200))).as(each.getKey()).anyMatch(e -> java.util.Arrays.equals(
                            journal.content(e.id()).orElseThrow(), bytes));
        }
    }

    /** The Patient of the transaction bundle the engine sent the FHIR server for this message. */
    private Patient convertedPatient(String controlId) {
        await().atMost(Duration.ofSeconds(30))
                .until(() -> FHIR_SERVER.received().stream().anyMatch(b -> b.contains(controlId)));
        String json = FHIR_SERVER.received().stream().filter(b -> b.contains(controlId)).findFirst().orElseThrow();
        return fhirContext.newJsonParser().parseResource(Bundle.class, json).getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).filter(Patient.class::isInstance)
                .map(Patient.class::cast).findFirst().orElseThrow();
    }

    @Test
    void aClientThatDropsMidFrameIsJournaledAndTheListenerStaysUp() throws Exception {
        String partialId = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(id(), "P6")), "MSA", 1)).isEqualTo("AA");
            client.sendRaw(("\u000b" + adt(partialId, "P6").substring(0, 110)).getBytes(StandardCharsets.US_ASCII));
        }
        awaitRejected("Bad MLLP framing: Connection closed in the middle of a frame", partialId);
        assertListenerAnswers("P6");
    }

    @Test
    void bytesOutsideAFrameAreJournaledAndTheNextFrameIsStillAnswered() throws Exception {
        String strayId = id();
        String next = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(id(), "P7")), "MSA", 1)).isEqualTo("AA");
            // no start block (0x0B): HL7 text sent raw, as a misconfigured sender does, then a proper frame
            client.sendRaw(adt(strayId, "P7").getBytes(StandardCharsets.US_ASCII));
            String ack = client.send(adt(next, "P7"));
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSA", 2)).isEqualTo(next);
        }
        awaitRejected("Bad MLLP framing: Data outside an MLLP frame", strayId);
    }

    @Test
    void unframedDataAloneIsJournaledAndTheConnectionReset() throws Exception {
        String strayId = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.sendRaw(adt(strayId, "P7").getBytes(StandardCharsets.US_ASCII));
            assertThat(client.readOrNull()).as("no ACK for unframed data").isNull();
        }
        awaitRejected("Bad MLLP framing: Data outside an MLLP frame", strayId);
        assertListenerAnswers("P7");
    }

    @Test
    void aFrameWithoutItsEndBlockIsJournaledAndTheFollowingFrameAnswered() throws Exception {
        String cutId = id();
        String next = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.sendRaw(("\u000b" + adt(cutId, "P10")).getBytes(StandardCharsets.US_ASCII));
            String ack = client.send(adt(next, "P10"));
            assertThat(field(ack, "MSA", 2)).isEqualTo(next);
        }
        awaitRejected("Bad MLLP framing: Frame without an end block", cutId);
    }

    @Test
    void anOversizedFrameIsJournaledTruncatedAndTheConnectionReset() throws Exception {
        String bigId = id();
        StringBuilder big = new StringBuilder(adt(bigId, "P8"));
        while (big.length() < 1_200_000) {                                 // carebus.mllp.max-frame-bytes: 1 MiB
            big.append("NTE|1||").append("X".repeat(1000)).append('\r');
        }
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(client.sendOrNull(big.toString())).as("no ACK for an oversized frame").isNull();
        }
        JournalEntry entry = awaitRejected("Bad MLLP framing: Frame larger than 1048576 bytes", bigId);
        assertThat(journal.content(entry.id()).orElseThrow()).hasSize(1_048_576);
        assertListenerAnswers("P8");
    }

    @Test
    void aClientSilentMidFrameIsCutOffAndJournaled() throws Exception {
        String hangingId = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            client.sendRaw(("\u000b" + adt(hangingId, "P9").substring(0, 100)).getBytes(StandardCharsets.US_ASCII));
            // carebus.mllp.read-timeout-ms later the engine resets the connection instead of waiting for ever
            assertThat(client.readOrNull()).isNull();
        }
        awaitRejected("Bad MLLP framing: Sender silent", hangingId);
        assertListenerAnswers("P9");
    }

    @Test
    void aClientDribblingAFrameIsCutOffAtTheFrameDeadlineWhileOthersAreServed() throws Exception {
        String dribbledId = id();
        byte[] message = ("\u000b" + adt(dribbledId, "P11")).getBytes(StandardCharsets.US_ASCII);
        ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        AtomicBoolean cutOff = new AtomicBoolean();
        try (MllpClient dribbler = new MllpClient(MLLP_PORT)) {
            dribbler.sendRaw(Arrays.copyOf(message, 100));                   // start block, MSH up to past MSH-10
            // then a byte every 250 ms: well within carebus.mllp.read-timeout-ms (2 s), never the end block
            AtomicInteger next = new AtomicInteger(100);
            pace.scheduleAtFixedRate(() -> {
                try {
                    dribbler.sendRaw(new byte[] {message[Math.min(next.getAndIncrement(), message.length - 1)]});
                } catch (java.io.IOException reset) {
                    cutOff.set(true);
                    throw new IllegalStateException("cut off", reset);   // ends the schedule
                }
            }, 250, 250, TimeUnit.MILLISECONDS);

            assertListenerAnswers("P12");                                    // another connection is served meanwhile
            // carebus.mllp.frame-timeout-ms (4 s in the tests) after the start block the engine resets the connection
            await().atMost(Duration.ofSeconds(20)).untilTrue(cutOff);
        } finally {
            pace.shutdownNow();
        }
        // journaled as rejected; on a loaded machine a late write of the pacer may meet the read timeout first
        awaitRejected("Bad MLLP framing: ", dribbledId);
        assertListenerAnswers("P11");
    }

    /** The rejected journal row whose error starts with the reason and whose content holds the control id. */
    private JournalEntry awaitRejected(String reason, String controlId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> journal.repository()
                .search(new JournalSearch("mllp-hl7v2", null, null, null, "rejected", null, null, null, 200)).stream()
                .filter(e -> e.error() != null && e.error().startsWith(reason)
                        && new String(journal.content(e.id()).orElseThrow(), StandardCharsets.US_ASCII)
                        .contains(controlId))
                .findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private void assertListenerAnswers(String patient) throws Exception {
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(id(), patient)), "MSA", 1)).isEqualTo("AA");
        }
    }
}
