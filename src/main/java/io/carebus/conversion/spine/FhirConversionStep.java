package io.carebus.conversion.spine;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.function.ToIntFunction;

import io.carebus.CarebusHeaders;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.UnconvertibleMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The step of the FHIR destinations' outbound routes: the HL7 v2 message on the queue (its original bytes, in
 * its MSH-18 charset) becomes the transaction Bundle JSON they send. A message that cannot be converted raises
 * {@link UnconvertibleMessageException}: the route dead-letters it with the reason, nothing is sent.
 */
public class FhirConversionStep {

    private static final Logger log = LoggerFactory.getLogger(FhirConversionStep.class);
    public static final String FHIR_JSON = "application/fhir+json";

    private final Hl7v2ToFhirConverter converter;

    public FhirConversionStep(Hl7v2ToFhirConverter converter) {
        this.converter = converter;
    }

    /** The Bundle as converted: the engine's own server makes its unconditional creates replay-safe itself. */
    public void toTransactionBundle(Exchange exchange) {
        convert(exchange, bundle -> 0);
    }

    /**
     * For an external FHIR server that assigns its own ids: each entry without a business identifier gets a key
     * of its own and becomes a conditional create on it ({@link ReplaySafeEntries#createConditionally}).
     */
    public void toConditionalTransactionBundle(Exchange exchange) {
        convert(exchange, ReplaySafeEntries::createConditionally);
    }

    /**
     * For an external FHIR server that accepts client-assigned ids: each entry without a business identifier is
     * sent as {@code PUT Type/<key>} ({@link ReplaySafeEntries#putUnderOwnIds}), as the engine's own server stores it.
     */
    public void toClientIdTransactionBundle(Exchange exchange) {
        convert(exchange, ReplaySafeEntries::putUnderOwnIds);
    }

    private void convert(Exchange exchange, ToIntFunction<Bundle> replaySafety) {
        Message in = exchange.getMessage();
        byte[] raw = in.getBody(byte[].class);
        if (raw == null) {
            throw new UnconvertibleMessageException("Empty message");
        }
        String charset = in.getHeader(CarebusHeaders.CHARSET, String.class);
        Charset cs = StandardCharsets.UTF_8;
        if (charset != null && Charset.isSupported(charset)) {
            cs = Charset.forName(charset);      // MSH-18, as the intake read it
        }
        String er7 = new String(raw, cs);
        long start = System.nanoTime();
        Bundle bundle = converter.convert(er7);
        int keyed = replaySafety.applyAsInt(bundle);
        String json = converter.toJson(bundle);
        log.debug("Converted controlId={} to a FHIR bundle of {} chars ({} entries keyed for replay) in {} µs",
                in.getHeader(CarebusHeaders.CONTROL_ID), json.length(), keyed, (System.nanoTime() - start) / 1000);
        in.setBody(json);
        in.setHeader(Exchange.CONTENT_TYPE, FHIR_JSON);
        in.setHeader(Exchange.HTTP_METHOD, "POST");
    }
}
