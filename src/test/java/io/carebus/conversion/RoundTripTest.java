package io.carebus.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import io.carebus.conversion.er7.Er7Message;
import io.carebus.conversion.er7.Er7Segment;
import org.junit.jupiter.api.Test;

/** v2 → FHIR → v2 keeps identifiers, names, dates, codes and values. */
class RoundTripTest {

    private static final FhirToHl7v2Converter BACK = new FhirToHl7v2Converter(Conversions.CONVERTER.fhirContext(),
            Conversions.CONVERTER.mappings(), Conversions.CONVERTER.settings(), "CAREBUS", "CAREBUS");

    private static Er7Message roundTrip(String sample, String trigger) throws Exception {
        String er7 = Files.readString(Path.of("edi-samples/hl7v2", sample), StandardCharsets.ISO_8859_1);
        String json = Conversions.CONVERTER.convertToJson(er7);
        return Er7Message.parse(BACK.convert(json, trigger));
    }

    private static String field(Er7Message m, String segment, int field) {
        Er7Segment s = m.first(segment);
        return s == null ? null : s.field(field);
    }

    @Test
    void admissionToAdtA04() throws Exception {
        Er7Message m = roundTrip("adt_a03.hl7", "A04");
        assertThat(m.messageCode() + "^" + m.triggerEvent()).isEqualTo("ADT^A04");
        assertThat(field(m, "PID", 3)).isEqualTo("MRN10003^^^NORTHCLINIC^MR~987-65-4320^^^USSSA^SS");  // PID-3
        assertThat(field(m, "PID", 5)).isEqualTo("O\\S\\BRIEN^PATRICK^^JR");                           // PID-5
        assertThat(field(m, "PID", 7)).isEqualTo("19600704");                                          // PID-7
        assertThat(field(m, "PID", 8)).isEqualTo("M");                                                 // PID-8
        assertThat(field(m, "PID", 10)).isEqualTo("2054-5^Black or African American^CDCREC");         // PID-10
        assertThat(field(m, "PID", 11)).isEqualTo("9 PINE RD^APT 2^SPRINGFIELD^IL^62703^USA^H");       // PID-11
        assertThat(field(m, "PID", 16)).isEqualTo("W");                                                // PID-16
        assertThat(field(m, "PID", 22)).isEqualTo("2186-5^Not Hispanic or Latino^CDCREC");            // PID-22
        assertThat(field(m, "PV1", 2)).isEqualTo("I");                                                 // PV1-2
        assertThat(field(m, "PV1", 7)).startsWith("1234567893^PRIMARY^PAULA");                         // PV1-7
        assertThat(field(m, "PV1", 19)).isEqualTo("V1003^^^NORTHCLINIC^VN");                           // PV1-19
        assertThat(field(m, "PV1", 44)).isEqualTo("20250318083000+0000");                              // PV1-44
    }

    @Test
    void resultsToOruR01() throws Exception {
        Er7Message m = roundTrip("oru_r01_types.hl7", null);
        assertThat(m.messageCode() + "^" + m.triggerEvent()).isEqualTo("ORU^R01");
        assertThat(field(m, "OBR", 3)).isEqualTo("LAB-3001");                                          // OBR-3
        assertThat(field(m, "OBR", 4)).isEqualTo("24323-8^Comprehensive metabolic panel^LN");          // OBR-4
        assertThat(field(m, "OBR", 25)).isEqualTo("F");                                                // OBR-25
        var obx = m.segments().stream().filter(s -> s.name().equals("OBX")).toList();
        assertThat(obx.get(0).field(2)).isEqualTo("NM");                                               // OBX-2
        assertThat(obx.get(0).field(3)).isEqualTo("2345-7^Glucose [Mass/volume] in Serum or Plasma^LN");  // OBX-3
        assertThat(obx.get(0).field(5)).isEqualTo("105");                                              // OBX-5
        assertThat(obx.get(0).field(6)).isEqualTo("mg/dL^milligram per deciliter^UCUM");                                    // OBX-6
        assertThat(obx.get(0).field(7)).isEqualTo("70-99");                                            // OBX-7
        assertThat(obx.get(0).field(8)).isEqualTo("H");                                                // OBX-8
        assertThat(obx.get(0).field(11)).isEqualTo("F");                                               // OBX-11
        assertThat(obx.get(1).field(5)).isEqualTo("<^0.5");                                            // SN
        assertThat(obx.get(2).field(5)).isEqualTo("^2^-^8");                                           // SN range
        assertThat(m.text(obx.get(4).field(5))).isEqualTo("Hemolyzed | repeat advised~second line");    // TX lines
        assertThat(obx.get(6).field(5)).isEqualTo("260385009^Negative^SCT");                          // CWE
        assertThat(obx.get(8).field(5)).isEqualTo("20250314");                                         // DT
    }

    @Test
    void appointmentToSiuS12AndChargesToDftP03() throws Exception {
        Er7Message siu = roundTrip("siu_s12.hl7", null);
        assertThat(siu.messageCode() + "^" + siu.triggerEvent()).isEqualTo("SIU^S12");
        assertThat(field(siu, "SCH", 1)).isEqualTo("APT-1001");                                        // SCH-1
        assertThat(field(siu, "SCH", 11)).isEqualTo("^^M30^20250310140000-0500^20250310143000-0500");   // SCH-11
        assertThat(field(siu, "SCH", 25)).isEqualTo("Booked");                                         // SCH-25
        assertThat(field(siu, "PID", 3)).isEqualTo("MRN10001^^^NORTHCLINIC^MR");
        Er7Message dft = roundTrip("dft_p03.hl7", null);
        assertThat(dft.messageCode() + "^" + dft.triggerEvent()).isEqualTo("DFT^P03");
        assertThat(field(dft, "PID", 18)).isEqualTo("ACC1001^^^NORTHCLINIC^AN");                       // PID-18
        assertThat(field(dft, "FT1", 2)).isEqualTo("TX-5001");                                         // FT1-2
        assertThat(field(dft, "FT1", 7)).isEqualTo("99213^Office visit, established^C4");             // FT1-7
        assertThat(field(dft, "FT1", 11)).isEqualTo("125.00&USD");                                     // FT1-11
    }
}
