package io.carebus.admin;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.conversion.FhirToHl7v2Converter;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.UnconvertibleMessageException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Try a mapping by hand: {@code POST /api/convert/hl7v2-to-fhir} (ER7 in, transaction Bundle out) and
 * {@code POST /api/convert/fhir-to-hl7v2} (FHIR JSON in, ER7 out). A message that cannot be converted is
 * answered 422 with an OperationOutcome naming the reason. Roles ENGINEER or ANALYST.
 */
@RestController
@RequestMapping("/api/convert")
public class ConversionController {

    private static final Logger log = LoggerFactory.getLogger(ConversionController.class);
    private static final MediaType FHIR_JSON = MediaType.parseMediaType("application/fhir+json");

    private final Hl7v2ToFhirConverter toFhir;
    private final FhirToHl7v2Converter toHl7v2;
    private final FhirContext fhirContext;

    public ConversionController(Hl7v2ToFhirConverter toFhir, FhirToHl7v2Converter toHl7v2, FhirContext fhirContext) {
        this.toFhir = toFhir;
        this.toHl7v2 = toHl7v2;
        this.fhirContext = fhirContext;
    }

    @PostMapping(path = "/hl7v2-to-fhir", produces = {"application/fhir+json", MediaType.APPLICATION_JSON_VALUE})
    public ResponseEntity<String> hl7v2ToFhir(@RequestBody byte[] er7) {
        try {
            String text = new String(er7, StandardCharsets.UTF_8).replace("\r\n", "\r").replace('\n', '\r');
            return ResponseEntity.ok().contentType(FHIR_JSON).body(toFhir.convertToJson(text));
        } catch (UnconvertibleMessageException e) {
            return unprocessable(e);
        }
    }

    @PostMapping(path = "/fhir-to-hl7v2", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> fhirToHl7v2(@RequestBody byte[] fhirJson,
                                              @RequestParam(name = "trigger", required = false) String trigger) {
        try {
            String er7 = toHl7v2.convert(new String(fhirJson, StandardCharsets.UTF_8), trigger);
            return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).body(er7);
        } catch (UnconvertibleMessageException e) {
            return unprocessable(e);
        }
    }

    private ResponseEntity<String> unprocessable(UnconvertibleMessageException e) {
        // the reason may quote values from the message: only at DEBUG
        log.info("Conversion refused ({})", e.getCause() == null ? "see the OperationOutcome" : e.getCause().getClass().getSimpleName());
        log.debug("Conversion refused: {}", e.getMessage());
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(e.getMessage());
        return ResponseEntity.unprocessableEntity().contentType(FHIR_JSON)
                .body(fhirContext.newJsonParser().encodeResourceToString(outcome));
    }
}
