package io.carebus.x12;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.carebus.x12.schema.SchemaRegistry;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.SegmentError;
import io.carebus.x12.validate.TransactionResult;
import io.carebus.x12.validate.X12Validator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every public sample under ../shared/corpus/x12 parses and validates against its implementation guide. Most are
 * clean; a few samples depart from the 5010 TR3s they claim (written for older guides or by hand) and must get
 * exactly the 999 findings listed here, so a change in the validator or the schemas shows up as a difference.
 */
class X12CorpusTest {

    static final Path CORPUS = Path.of("../shared/corpus/x12");

    /** Findings per sample: IK3 as {@code segment@loop#IK304[position-component:IK403 ...]}, and IK502 codes. */
    static final Map<String, List<String>> KNOWN_DEPARTURES = Map.ofEntries(
            // SE02 4323 does not echo ST02 4321
            Map.entry("271_005010X279A1/subscriber-health-benefit-check-error.271", List.of("IK502:3")),
            // STC01-3 entity 85 is not among the X212 2200C codes
            Map.entry("277_005010X212/provider-level-status.277", List.of("STC@2200C#8[1-3:7]")),
            // DTP01 358 is not an X220A1 2000 date qualifier
            Map.entry("834_005010X220A1/enroll-employee-managed-care.834", List.of("DTP@2000#8[1:7]")),
            // no BPR16, no PER*BL; '>' used as component separator though ISA16 is ':', so SVC opens no 2110
            Map.entry("835_005010X221A1/cob-contractural-adjustment.835", List.of("BPR@null#8[16:1]", "PER@1000A#3", "SVC@2100#2", "DTM@2100#5", "DTM@2100#8[1:7]", "CAS@2100#2", "CAS@2100#2", "REF@2100#2", "AMT@2100#8[1:7]")),
            // BPR16 20002316 is no date; no PER*BL
            Map.entry("835_005010X221A1/managed-care.835", List.of("BPR@null#8[16:8]", "PER@1000A#3")),
            // no PER*BL; TS3-09 and TS3-11 are not used in X221A1
            Map.entry("835_005010X221A1/medicare-part-a.835", List.of("PER@1000A#3", "TS3@2000#8[9:I10 11:I10]", "TS3@2000#8[9:I10 11:I10]")),
            // no BPR16, no PER*BL; '>' as component separator
            Map.entry("835_005010X221A1/secondary-payment.835", List.of("BPR@null#8[16:1]", "PER@1000A#3", "SVC@2100#2", "DTM@2100#5", "DTM@2100#8[1:7]", "CAS@2100#2", "REF@2100#2", "AMT@2100#8[1:7]", "SVC@2100#2", "DTM@2100#2", "CAS@2100#2", "CAS@2100#2", "REF@2100#2", "AMT@2100#8[1:7]")),
            // no BPR16, no PER*BL; SVC01 and SVC06 without procedure code
            Map.entry("835_005010X221A1/tertiary-payment.835", List.of("BPR@null#8[16:1]", "PER@1000A#3", "SVC@2110#8[1-2:1 6-1:4 6-2:1]")),
            // CLM05-2 facility code qualifier B missing (41::1)
            Map.entry("837_005010X222A2/demo.ambulance.example5.837", List.of("CLM@2300#8[5-2:1]")),
            // '>' as component separator though ISA16 is ':'
            Map.entry("837_005010X222A2/demo.cob.2ndary.example4.837", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1]", "HI@2300#8[1-1:5 1-2:1]", "SV1@2400#8[1-1:5 1-2:1]")),
            // 2320 other subscriber without the required 2330B other payer name
            Map.entry("837_005010X222A2/demo.cob.example3.A.837", List.of("NM1@2330B#3")),
            // AMT*F2 (4010) in 2320
            Map.entry("837_005010X222A2/demo.cob.example4.837", List.of("AMT@2320#5", "AMT@2320#8[1:7]")),
            // '>' as component separator though ISA16 is ':'
            Map.entry("837_005010X222A2/demo.example11.837", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1]", "HI@2300#8[1-1:5 1-2:1 2-1:5 2-2:1]", "SV1@2400#8[1-1:5 1-2:1 7-1:6]", "SV1@2400#8[1-1:5 1-2:1]")),
            // '>' as component separator though ISA16 is ':'
            Map.entry("837_005010X222A2/demo.example12.837", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1]", "HI@2300#8[1-1:5 1-2:1]", "SV1@2400#8[1-1:5 1-2:1]")),
            // '>' as component separator though ISA16 is ':'
            Map.entry("837_005010X222A2/demo.example6.837", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1]", "HI@2300#8[1-1:5 1-2:1]", "SV1@2400#8[1-1:5 1-2:1]")),
            // '>' as component separator though ISA16 is ':'
            Map.entry("837_005010X222A2/demo.example9.837", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1]", "HI@2300#8[1-1:5 1-2:1]", "SV1@2400#8[1-1:5 1-2:1 7-1:6]")),
            // CLM06 is not used in 837I; statement dates DTP*434 must be RD8
            Map.entry("837_005010X223A3/institutional-claim.837i", List.of("CLM@2300#8[6:I10]", "DTP@2300#8[2:7]")),
            // '>' as component separator; CLM06 not used in 837I
            Map.entry("837_005010X223A3/out-of-network-repriced-claim.837i", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1 6:I10]", "HI@2300#8[1-1:5 1-2:1]", "SV2@2400#8[2-1:5 2-2:1]")),
            // '>' as component separator (so HI qualifiers are unreadable); CLM06 not used in 837I
            Map.entry("837_005010X223A3/ppo-repriced-claim.837i", List.of("CLM@2300#8[5-1:5 5-2:1 5-3:1 6:I10]", "HI@2300#8[1-1:5 1-2:1]", "HI@2300#5", "HI@2300#8[1-1:5 1-2:1]", "HI@2300#5", "HI@2300#8[1-1:5 1-2:1]", "SV2@2400#8[2-1:5 2-2:1]", "SV2@2400#8[2-1:5 2-2:1]")),
            // CLM06 is not used in 837I
            Map.entry("837_005010X223A3/two-claims-single-provider.837i", List.of("CLM@2300#8[6:I10]", "CLM@2300#8[6:I10]")));

    static Stream<Path> corpus() throws IOException {
        try (Stream<Path> files = Files.walk(CORPUS)) {
            return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("LICENSE"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corpus")
    void sampleParsesAndValidatesAgainstItsImplementationGuide(Path file) throws IOException {
        X12Validator validator = new X12Validator(SchemaRegistry.standard());
        List<InterchangeResult> results;
        try (InputStream in = Files.newInputStream(file)) {
            results = validator.validate(in);
        }
        String name = CORPUS.relativize(file).toString();
        List<String> findings = new ArrayList<>();
        assertThat(results).isNotEmpty();
        for (InterchangeResult interchange : results) {
            assertThat(interchange.noteCode()).as("TA105 of %s", name).isEqualTo("000");
            assertThat(interchange.groups()).isNotEmpty();
            interchange.groups().forEach(group -> {
                assertThat(group.transactions()).isNotEmpty();
                for (TransactionResult t : group.transactions()) {
                    assertThat(t.schema()).as("schema for %s", name).isNotNull();
                    t.errors().forEach(e -> findings.add(signature(e)));
                    t.syntaxCodes().stream().filter(c -> !c.equals("5")).forEach(c -> findings.add("IK502:" + c));
                }
            });
        }
        assertThat(findings).as("999 findings for %s", name)
                .containsExactlyElementsOf(KNOWN_DEPARTURES.getOrDefault(name, List.of()));
        if (findings.isEmpty()) {
            results.forEach(i -> i.groups().forEach(g -> assertThat(g.ackCode()).isEqualTo("A")));
        }
    }

    /** The findings of one transaction set in the compact form of {@link #KNOWN_DEPARTURES}. */
    static List<String> signatures(TransactionResult t) {
        return t.errors().stream().map(X12CorpusTest::signature).toList();
    }

    static String signature(SegmentError e) {
        String elements = e.elements().stream()
                .map(x -> x.position() + (x.component() > 0 ? "-" + x.component() : "") + ":" + x.code())
                .collect(Collectors.joining(" "));
        return e.segmentId() + "@" + e.loopId() + "#" + e.code() + (elements.isEmpty() ? "" : "[" + elements + "]");
    }
}
