package io.carebus.conversion.spine;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import io.carebus.CarebusHeaders;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.UnconvertibleMessageException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
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

    public void toTransactionBundle(Exchange exchange) {
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
        String json = converter.convertToJson(er7);
        log.debug("Converted controlId={} to a FHIR bundle of {} chars in {} µs",
                in.getHeader(CarebusHeaders.CONTROL_ID), json.length(), (System.nanoTime() - start) / 1000);
        in.setBody(json);
        in.setHeader(Exchange.CONTENT_TYPE, FHIR_JSON);
        in.setHeader(Exchange.HTTP_METHOD, "POST");
    }
}
