package io.carebus.hl7v2.mllp;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * {@code hl7-mllp:host:port}: the HL7 v2 MLLP listener of the inbound channel. One exchange per frame, body the
 * frame's bytes; the route leaves the acknowledgement (bytes) in the exchange property
 * {@link MllpListenerEndpoint#ACKNOWLEDGEMENT} and the listener writes it, framed, on the same connection.
 * Bad framing is handed to {@link MllpRejections} (the journal) instead of being logged.
 */
public class MllpListenerComponent extends DefaultComponent {

    private SSLContextParameters sslContextParameters;

    /** TLS for every listener of this component (an endpoint's own sslContextParameters wins); null: plain TCP. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        int colon = remaining.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("hl7-mllp endpoint needs host:port, got " + remaining);
        }
        MllpListenerEndpoint endpoint = new MllpListenerEndpoint(uri, this,
                remaining.substring(0, colon), Integer.parseInt(remaining.substring(colon + 1)));
        endpoint.setSslContextParameters(sslContextParameters);
        setProperties(endpoint, parameters);
        return endpoint;
    }
}
