package io.carebus.hl7v2.mllp;

import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.jsse.SSLContextParameters;

/** The options of an MLLP listener (see {@link MllpListenerComponent}). */
public class MllpListenerEndpoint extends DefaultEndpoint {

    /** Exchange property the route sets: the acknowledgement to write back (byte[]); none, nothing is written. */
    public static final String ACKNOWLEDGEMENT = "CarebusMllpAcknowledgement";
    /** Exchange property: the sender's address (host:port), for logs; not carried to the queues. */
    public static final String REMOTE_ADDRESS = "CarebusMllpRemoteAddress";

    private final String host;
    private final int port;
    private int maxFrameBytes = 1024 * 1024;
    private int readTimeout = 5000;
    private int idleTimeout = 300_000;
    private int frameTimeout = 30_000;
    private int handshakeTimeout = 10_000;
    private int maxConnections = 64;
    private MllpRejections rejections = (reason, received) -> { };
    private SSLContextParameters sslContextParameters;

    MllpListenerEndpoint(String uri, MllpListenerComponent component, String host, int port) {
        super(uri, component);
        this.host = host;
        this.port = port;
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException("hl7-mllp only listens; send with the mllp component");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        MllpListenerConsumer consumer = new MllpListenerConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getHost() { return host; }
    public int getPort() { return port; }

    /** Largest frame accepted; a larger one is journaled (truncated) as rejected and the connection reset. */
    public int getMaxFrameBytes() { return maxFrameBytes; }
    public void setMaxFrameBytes(int maxFrameBytes) { this.maxFrameBytes = maxFrameBytes; }

    /** A sender silent this long (ms) in the middle of a frame is cut off; what it sent is journaled. */
    public int getReadTimeout() { return readTimeout; }
    public void setReadTimeout(int readTimeout) { this.readTimeout = readTimeout; }

    /**
     * A frame not complete this long (ms) after its start block is cut off, however steadily its bytes trickle in;
     * what was sent is journaled.
     */
    public int getFrameTimeout() { return frameTimeout; }
    public void setFrameTimeout(int frameTimeout) { this.frameTimeout = frameTimeout; }

    /** With TLS: a connection whose handshake is not done this long (ms) after it was accepted is closed. */
    public int getHandshakeTimeout() { return handshakeTimeout; }
    public void setHandshakeTimeout(int handshakeTimeout) { this.handshakeTimeout = handshakeTimeout; }

    /** A connection silent this long (ms) between frames is closed. */
    public int getIdleTimeout() { return idleTimeout; }
    public void setIdleTimeout(int idleTimeout) { this.idleTimeout = idleTimeout; }

    /** Connections served at once; one more is closed at once. */
    public int getMaxConnections() { return maxConnections; }
    public void setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; }

    public MllpRejections getRejections() { return rejections; }
    public void setRejections(MllpRejections rejections) { this.rejections = rejections; }

    /** TLS (and with client authentication required, mutual TLS); plain TCP when not set. */
    public SSLContextParameters getSslContextParameters() { return sslContextParameters; }
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }
}
