package io.carebus.hl7v2;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import io.carebus.hl7v2.mllp.MllpListenerEndpoint;

/**
 * Hands the acknowledgement decided by {@link Hl7v2Intake} to the MLLP listener, which writes it on the
 * connection after the route completes. No acknowledgement (MSH-15 NE/SU/ER) means nothing is written.
 */
public class MllpAcknowledgement {

    public void attach(Exchange exchange) {
        String ack = exchange.getProperty(Hl7v2Intake.ACK_TEXT, String.class);
        if (ack == null) {
            exchange.removeProperty(MllpListenerEndpoint.ACKNOWLEDGEMENT);
            return;
        }
        String charsetName = exchange.getProperty(Hl7v2Intake.ACK_CHARSET, String.class);
        Charset charset = charsetName == null ? StandardCharsets.UTF_8 : Charset.forName(charsetName);
        exchange.setProperty(MllpListenerEndpoint.ACKNOWLEDGEMENT, ack.getBytes(charset));
    }
}
