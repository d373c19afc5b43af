package io.carebus.routing;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import io.carebus.CarebusHeaders;
import io.carebus.config.CarebusProperties.Destination;
import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Message;
import org.springframework.boot.ssl.SslBundles;

/**
 * Sends messages to the MLLP destinations (carebus.destinations.&lt;name&gt;, type mllp), one connection each, and
 * judges each answer by {@link DownstreamAck}: MSA-2 against the MSH-10 sent, then MSA-1 (HL7 v2.5.1 2.9).
 */
public class OutboundMllp implements AutoCloseable {

    /** Header set by {@link #send}: the acknowledgement received, as text. */
    public static final String ACKNOWLEDGEMENT = "CarebusAcknowledgement";

    private static final int CONNECT_TIMEOUT_MS = 5000;

    private final Map<String, DownstreamMllpConnection> connections = new LinkedHashMap<>();
    /** Destinations whose ACK free text may go to the journal (carebus.destinations.&lt;name&gt;.ack-error-text). */
    private final Set<String> keepAckFreeText = new HashSet<>();

    /**
     * @param enabled which destinations are in use: only theirs get a connection, and their TLS settings are
     *                checked here, so a bad one stops the start
     * @param sslBundles the SSL bundles a destination's {@code tls.ssl-bundle} names
     */
    public OutboundMllp(Map<String, Destination> destinations, Predicate<String> enabled, SslBundles sslBundles) {
        destinations.forEach((name, d) -> {
            if ("mllp".equals(d.getType()) && enabled.test(name)) {
                DownstreamTls tls = d.getTls().isEnabled() ? DownstreamTls.of(name, d.getTls(), sslBundles) : null;
                connections.put(name, new DownstreamMllpConnection(d.getHost(), d.getPort(), CONNECT_TIMEOUT_MS,
                        d.getAckTimeoutMs(), tls));
                if (d.isAckErrorText()) {
                    keepAckFreeText.add(name);
                }
            }
        });
    }

    /**
     * Sends the message to the exchange's destination and returns once it is accepted (AA, or CA in enhanced mode);
     * otherwise throws: {@link AckRejectedException} (AR/CR of this message), {@link AckErrorException} (AE/CE),
     * {@link AckMismatchException} (an ACK of another message), {@link AckTimeoutException}, or an IOException.
     */
    public void send(Exchange exchange) throws IOException, InvalidPayloadException {
        Message in = exchange.getMessage();
        String destination = in.getHeader(CarebusHeaders.DESTINATION, String.class);
        DownstreamMllpConnection connection = connections.get(destination);
        if (connection == null) {
            throw new IllegalStateException("No MLLP destination named " + destination);
        }
        String controlId = in.getHeader(CarebusHeaders.CONTROL_ID, String.class);
        String ack = connection.send(in.getMandatoryBody(byte[].class), controlId);
        in.setHeader(ACKNOWLEDGEMENT, ack);
        RuntimeException failure = DownstreamAck.failure(ack, controlId, keepAckFreeText.contains(destination));
        if (failure instanceof AckMismatchException) {
            connection.close();             // the connection may be out of step: the retry starts on a new one
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public void close() {
        connections.values().forEach(DownstreamMllpConnection::close);
    }
}
