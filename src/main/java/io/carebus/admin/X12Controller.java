package io.carebus.admin;

import java.io.ByteArrayInputStream;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.parser.DataFormatException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.carebus.config.X12Properties;
import io.carebus.x12.X12Service;
import io.carebus.x12.fhir.Fhir;
import io.carebus.x12.fhir.X12FhirException;
import io.carebus.x12.fhir.X12ToFhir;
import io.carebus.sftp.OutboundX12;
import io.carebus.x12.intake.Envelopes;
import io.carebus.x12.intake.OutboundTracking;
import io.carebus.x12.intake.TradingPartner;
import io.carebus.x12.intake.UnknownTradingPartnerException;
import io.carebus.x12.tree.X12Json;
import io.carebus.x12.tree.X12Transaction;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.write.ClaimStatusRequestWriter;
import io.carebus.x12.write.DentalClaimWriter;
import io.carebus.x12.write.InstitutionalClaimWriter;
import io.carebus.x12.write.ServicesReviewRequestWriter;
import io.carebus.x12.write.EligibilityInquiryWriter;
import io.carebus.x12.write.InterchangeHeader;
import io.carebus.x12.write.Interchanges;
import io.carebus.x12.write.ProfessionalClaimWriter;
import io.carebus.x12.write.Submitter;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Try X12 by hand: validate a file (999 / TA1 back), turn X12 into FHIR or JSON, and FHIR into X12. */
@RestController
@Tag(name = "x12", description = "X12 5010 validation, acknowledgments and FHIR mapping")
public class X12Controller {

    public static final String X12 = "application/edi-x12";

    private final X12Service x12;
    private final X12ToFhir toFhir;
    private final Envelopes envelopes;
    private final Map<String, TradingPartner> partners;
    private final X12Properties properties;
    private final OutboundX12 outbound;
    private final OutboundTracking tracking;

    public X12Controller(X12Service x12, X12ToFhir toFhir, Envelopes envelopes,
                         Map<String, TradingPartner> x12TradingPartners, X12Properties properties,
                         OutboundX12 outbound, OutboundTracking tracking) {
        this.outbound = outbound;
        this.tracking = tracking;
        this.x12 = x12;
        this.toFhir = toFhir;
        this.envelopes = envelopes;
        this.partners = x12TradingPartners;
        this.properties = properties;
    }

    @PostMapping(path = "/api/x12/validate", produces = X12)
    @Operation(summary = "Validate an X12 file (SNIP 1-3); the answer is the TA1 and/or 999 a partner would get")
    public ResponseEntity<String> validate(@RequestBody byte[] body) {
        StringBuilder acks = new StringBuilder();
        List<String> verdicts = new ArrayList<>();
        for (InterchangeResult result : x12.validate(new ByteArrayInputStream(body))) {
            String gsId = result.groups().isEmpty() ? result.senderId() : result.groups().get(0).senderCode();
            String sender = result.senderId().isEmpty() ? "unknown" : result.senderId();
            acks.append(x12.acknowledge(result, envelopes.to(sender, result.senderQualifier().isEmpty() ? "ZZ"
                    : result.senderQualifier(), sender, gsId.isEmpty() ? sender : gsId, null)));
            verdicts.add(result.envelopeError() ? "TA1 " + result.noteCode()
                    : result.groups().stream().map(g -> g.ackCode()).reduce("", String::concat));
        }
        return ResponseEntity.ok().header("X-Carebus-X12-Verdict", String.join(",", verdicts))
                .contentType(MediaType.parseMediaType(X12)).body(acks.toString());
    }

    @PostMapping(path = "/api/x12/to-fhir", produces = "application/fhir+json")
    @Operation(summary = "X12 835, 271, 277/277CA, 834 or 278 response to a FHIR R4 collection bundle")
    public ResponseEntity<String> toFhir(@RequestBody byte[] body) {
        Bundle out = new Bundle().setType(Bundle.BundleType.COLLECTION);
        for (X12Transaction t : x12.readAll(new ByteArrayInputStream(body))) {
            if (!toFhir.supports(t.transactionSet())) {
                throw new X12FhirException("No FHIR mapping for X12 " + t.transactionSet()
                        + " (835, 271, 277, 834, 278 have one)");
            }
            out.getEntry().addAll(toFhir.bundle(t).getEntry());
        }
        return ResponseEntity.ok(Fhir.json(out));
    }

    @PostMapping(path = "/api/x12/to-json", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Any X12 transaction set as JSON keyed by loop ids, with its validation verdict")
    public ArrayNode toJson(@RequestBody byte[] body) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (X12Transaction t : x12.readAll(new ByteArrayInputStream(body))) {
            out.add(X12Json.transaction(t));
        }
        return out;
    }

    @PostMapping(path = "/api/fhir/to-x12/{transaction}", produces = X12)
    @Operation(summary = "A FHIR bundle to X12: 837P / 837I / 837D (Claim ...), 270 (CoverageEligibilityRequest ...), 276, "
            + "278 (Claim with use=preauthorization)")
    public ResponseEntity<String> toX12(@PathVariable String transaction, @RequestBody String bundleJson,
                                        @RequestParam(required = false) String partner) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType(X12))
                .body(write(transaction, bundleJson, partner).text());
    }

    @PostMapping(path = "/api/x12/send/{transaction}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Write a FHIR bundle as X12 (837P, 837I, 837D, 270, 276, 278) and send it to the trading partner; its "
            + "TA1 / 999 later marks it accepted or rejected (GET /api/x12/outbound)")
    public OutboundX12.Delivery send(@PathVariable String transaction, @RequestBody String bundleJson,
                                     @RequestParam(required = false) String partner) {
        Written written = write(transaction, bundleJson, partner);
        return outbound.send(written.partner(), written.transactionSet(), written.text(),
                written.header().interchangeControlNumber(), written.header().groupControlNumber(),
                List.of(new OutboundTracking.Sent(written.transactionSet().substring(0, 3),
                        written.transactionControl(), written.reference())));
    }

    @GetMapping(path = "/api/x12/outbound", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Transaction sets sent to partners, newest first, with what their TA1 / 999 said")
    public List<OutboundTracking.Status> outbound(@RequestParam(required = false) String partner,
                                                  @RequestParam(defaultValue = "100") int limit) {
        return tracking.recent(partner, limit);
    }

    record Written(String partner, String transactionSet, String reference, InterchangeHeader header, String text,
                   String transactionControl) {
    }

    private Written write(String transaction, String bundleJson, String partner) {
        Bundle bundle = Fhir.parse(Bundle.class, bundleJson);
        String partnerName = partner == null ? properties.getDefaultPartner() : partner;
        TradingPartner to = partners.get(partnerName);
        if (to == null) {
            throw new UnknownTradingPartnerException(partnerName);
        }
        X12Properties.Partner config = properties.getPartners().get(partnerName);
        Submitter submitter = new Submitter(properties.getSubmitterName(), properties.getSubmitterId(),
                properties.getSubmitterContact(), properties.getSubmitterPhone(),
                config.getName() == null ? partnerName.toUpperCase() : config.getName(), to.isaId());
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        String[] st02 = new String[1];
        InterchangeHeader durable = envelopes.to(to);
        // remember the ST02 the durable sequence hands out, for x12_outbound
        InterchangeHeader header = new InterchangeHeader(durable.senderQualifier(), durable.senderId(),
                durable.receiverQualifier(), durable.receiverId(), durable.applicationSender(),
                durable.applicationReceiver(), durable.interchangeControlNumber(), durable.groupControlNumber(),
                durable.production(), durable.acknowledgmentRequested(), durable.time(), durable.delimiters(), () -> {
                    long n = durable.transactionNumbers().getAsLong();
                    st02[0] = String.format("%04d", n);
                    return n;
                });
        String x12Text = switch (transaction.toUpperCase()) {
            case "837P", "837" -> Interchanges.write(header, "HC", ProfessionalClaimWriter.VERSION, List.of(
                    (w, st) -> new ProfessionalClaimWriter().write(bundle, submitter, now, w, st)));
            case "837I" -> Interchanges.write(header, "HC", InstitutionalClaimWriter.VERSION, List.of(
                    (w, st) -> new InstitutionalClaimWriter().write(bundle, submitter, now, w, st)));
            case "837D" -> Interchanges.write(header, "HC", DentalClaimWriter.VERSION, List.of(
                    (w, st) -> new DentalClaimWriter().write(bundle, submitter, now, w, st)));
            case "278" -> Interchanges.write(header, "HI", ServicesReviewRequestWriter.VERSION, List.of(
                    (w, st) -> new ServicesReviewRequestWriter().write(bundle, properties.getOriginatorId(), now,
                            w, st)));
            case "270" -> Interchanges.write(header, "HS", EligibilityInquiryWriter.VERSION, List.of(
                    (w, st) -> new EligibilityInquiryWriter().write(bundle, properties.getOriginatorId(), now, w,
                            st)));
            case "276" -> Interchanges.write(header, "HR", ClaimStatusRequestWriter.VERSION, List.of(
                    (w, st) -> new ClaimStatusRequestWriter().write(bundle, submitter, now, w, st)));
            default -> throw new X12FhirException("No FHIR to X12 writer for " + transaction
                    + " (837P, 837I, 837D, 270, 276, 278 have one)");
        };
        String reference = bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(r -> r instanceof org.hl7.fhir.r4.model.Claim
                        || r instanceof org.hl7.fhir.r4.model.CoverageEligibilityRequest)
                .map(r -> r instanceof org.hl7.fhir.r4.model.Claim c ? c.getIdentifierFirstRep().getValue()
                        : ((org.hl7.fhir.r4.model.CoverageEligibilityRequest) r).getIdentifierFirstRep().getValue())
                .findFirst().orElse(null);
        return new Written(partnerName, transaction.toUpperCase().equals("837") ? "837P" : transaction.toUpperCase(),
                reference, header, x12Text, st02[0]);
    }

    @ExceptionHandler(UnknownTradingPartnerException.class)
    ResponseEntity<String> unknownPartner(UnknownTradingPartnerException e) {
        return unprocessable(e);
    }

    /** The partner's SFTP host could not be reached, refused the sign-in or showed a host key not configured. */
    @ExceptionHandler(io.carebus.sftp.X12DeliveryException.class)
    ResponseEntity<String> notDelivered(io.carebus.sftp.X12DeliveryException e) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.TRANSIENT).setDiagnostics(e.getMessage());
        return ResponseEntity.status(HttpStatus.BAD_GATEWAY)
                .contentType(MediaType.parseMediaType("application/fhir+json")).body(Fhir.json(outcome));
    }

    @ExceptionHandler({X12FhirException.class, DataFormatException.class})
    ResponseEntity<String> unprocessable(RuntimeException e) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.PROCESSING).setDiagnostics(e.getMessage());
        return ResponseEntity.status(HttpStatus.UNPROCESSABLE_ENTITY)
                .contentType(MediaType.parseMediaType("application/fhir+json")).body(Fhir.json(outcome));
    }
}
