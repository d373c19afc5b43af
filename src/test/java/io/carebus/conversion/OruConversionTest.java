package io.carebus.conversion;

import static io.carebus.conversion.Conversions.all;
import static io.carebus.conversion.Conversions.convertSample;
import static io.carebus.conversion.Conversions.entryOf;
import static io.carebus.conversion.Conversions.one;
import static io.carebus.conversion.Conversions.resolve;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Range;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/** ORU R01 → DiagnosticReport, Observation (every OBX-2 value type), ServiceRequest. */
class OruConversionTest {

    private static final Bundle BUNDLE = convertSample("oru_r01_types.hl7");
    private static final List<Observation> OBX = all(BUNDLE, Observation.class);

    @Test
    void reportAndOrder() {
        DiagnosticReport report = one(BUNDLE, DiagnosticReport.class);
        assertThat(report.getCode().getCodingFirstRep().getCode()).isEqualTo("24323-8");             // OBR-4.1
        assertThat(report.getCode().getCodingFirstRep().getSystem()).isEqualTo("http://loinc.org");  // OBR-4.3 LN
        assertThat(report.getStatus().toCode()).isEqualTo("final");                                   // OBR-25 F
        assertThat(report.getIdentifierFirstRep().getValue()).isEqualTo("LAB-3001");                  // OBR-3 filler
        assertThat(report.getIssuedElement().getValueAsString()).isEqualTo("2025-03-15T11:25:00-05:00");  // OBR-22
        assertThat(report.getResult()).hasSize(OBX.size());                                           // each OBX
        assertThat(entryOf(BUNDLE, report).getRequest().getUrl()).startsWith("DiagnosticReport?identifier=");
        ServiceRequest order = (ServiceRequest) resolve(BUNDLE, report.getBasedOnFirstRep());
        assertThat(order.getIdentifierFirstRep().getValue()).isEqualTo("ORD-3001");                   // ORC-2 placer
        assertThat(order.getStatus().toCode()).isEqualTo("completed");                                // ORC-1 RE
    }

    @Test
    void numericValues() {
        Quantity glucose = OBX.get(0).getValueQuantity();                                             // OBX-2 NM
        assertThat(glucose.getValue()).isEqualByComparingTo("105");                                   // OBX-5
        assertThat(glucose.getCode()).isEqualTo("mg/dL");                                             // OBX-6.1
        assertThat(glucose.getSystem()).isEqualTo("http://unitsofmeasure.org");                       // OBX-6.3 UCUM
        assertThat(OBX.get(0).getInterpretationFirstRep().getCodingFirstRep().getCode()).isEqualTo("H");   // OBX-8
        assertThat(OBX.get(0).getReferenceRangeFirstRep().getText()).isEqualTo("70-99");              // OBX-7
        assertThat(OBX.get(0).getNoteFirstRep().getText()).isEqualTo("Fasting specimen");             // NTE-3
        assertThat(OBX.get(0).getEffectiveDateTimeType().getValueAsString()).isEqualTo("2025-03-14T08:15:00-05:00");  // OBX-14
        Quantity creatinine = OBX.get(1).getValueQuantity();                                          // OBX-2 SN <^0.5
        assertThat(creatinine.getComparator().toCode()).isEqualTo("<");
        assertThat(creatinine.getValue()).isEqualByComparingTo("0.5");
        Range monocytes = OBX.get(2).getValueRange();                                                 // SN ^2^-^8
        assertThat(monocytes.getLow().getValue()).isEqualByComparingTo("2");
        assertThat(monocytes.getHigh().getValue()).isEqualByComparingTo("8");
    }

    @Test
    void textValuesWithEscapes() {
        assertThat(OBX.get(3).getValueStringType().getValue()).isEqualTo("Straw");                    // ST
        assertThat(OBX.get(4).getValueStringType().getValue()).isEqualTo("Hemolyzed | repeat advised\nsecond line");  // TX, \F\, ~
        assertThat(OBX.get(5).getValueStringType().getValue())
                .isEqualTo("Line one\nLine two ^ caret \\ backslash A");                              // FT \.br\ \S\ \E\ \X41\
    }

    @Test
    void codedAndDateValues() {
        assertThat(OBX.get(6).getValueCodeableConcept().getCodingFirstRep().getSystem()).isEqualTo("http://snomed.info/sct");  // CWE, SCT
        assertThat(OBX.get(7).getValueCodeableConcept().getCodingFirstRep().getCode()).isEqualTo("3092008");  // CE
        assertThat(OBX.get(8).getValueDateTimeType().getValueAsString()).isEqualTo("2025-03-14");     // DT
        assertThat(OBX.get(9).getValueDateTimeType().getValueAsString()).isEqualTo("2025-03-14T08:15:00Z");  // TS, UTC default
    }

    @Test
    void encapsulatedDataIsKeptAsAnAttachment() {
        Observation ed = OBX.get(10);                                                                 // OBX-2 ED
        Attachment a = (Attachment) ed.getExtensionByUrl("http://carebus.io/fhir/StructureDefinition/hl7v2-encapsulated-data").getValue();
        assertThat(a.getContentType()).isEqualTo("application/pdf");                                 // ED-2, ED-3
        assertThat(new String(a.getData(), StandardCharsets.US_ASCII)).startsWith("%PDF-1.4");        // ED-5 Base64
        assertThat(ed.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("unsupported");
    }

    @Test
    void encapsulatedDataThatIsNotBase64IsRefusedWithTheReason() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Conversions.convert(
                        "MSH|^~\\&|LIS|LAB|CAREBUS|PMS|20250315113000||ORU^R01|9|P|2.5.1", "PID|1||MRN1^^^LAB^MR||DOE^JO",
                        "OBR|1||F1|24323-8^CMP^LN", "OBX|1|ED|11502-2^Report^LN||^application^pdf^Base64^JVBERi0xL"))
                .isInstanceOf(UnconvertibleMessageException.class).hasMessageContaining("OBX-5 (ED) data is not valid Base64");
    }

    @Test
    void theSendersOverrideMapsItsLocalCodeAndItsZSegment() {
        Observation local = OBX.get(11);                                                              // OBX-3 GLU^^99NLB
        assertThat(local.getCode().getCoding()).extracting(c -> c.getSystem() + "|" + c.getCode())
                .contains("http://carebus.io/fhir/CodeSystem/local-99NLB|GLU", "http://loinc.org|2345-7");
        assertThat(local.getExtensionByUrl("http://northlab.example.org/fhir/StructureDefinition/review-flag")
                .getValue().primitiveValue()).isEqualTo("LOCAL-FLAG");                                // ZLB-2.1
        // another sender's message is not touched by that file
        Bundle fromElsewhere = Conversions.convert("MSH|^~\\&|LIS|OTHERLAB|CAREBUS|PMS|20250315113000||ORU^R01|9|P|2.5.1",
                "PID|1||MRN1^^^OTHERLAB^MR||DOE^JO", "OBR|1||F1|24323-8^CMP^LN", "OBX|1|NM|GLU^Glucose^99NLB||98||||||F",
                "ZLB|1|LOCAL-FLAG");
        Observation plain = one(fromElsewhere, Observation.class);
        assertThat(plain.getCode().getCoding()).hasSize(1);
        assertThat(plain.getExtensionByUrl("http://northlab.example.org/fhir/StructureDefinition/review-flag")).isNull();
        assertThat(plain.getExtensionByUrl("http://carebus.io/fhir/StructureDefinition/hl7v2-z-segment")).isNotNull();
    }
}
