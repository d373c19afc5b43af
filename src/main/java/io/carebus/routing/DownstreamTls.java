package io.carebus.routing;

import java.io.IOException;
import java.net.Socket;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

import io.carebus.config.CarebusProperties.DestinationTls;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * TLS on the MLLP connection to one downstream system (carebus.destinations.&lt;name&gt;.tls), its trust store and,
 * for mutual TLS, its client certificate taken from a Spring Boot SSL bundle. Everything the bundle names is loaded
 * when the engine starts, so a missing file, a wrong password or an unknown bundle stops the start instead of
 * failing the first delivery.
 */
final class DownstreamTls {

    private static final Logger log = LoggerFactory.getLogger(DownstreamTls.class);

    /** Unless the bundle names others (options.enabled-protocols): TLS 1.0 and 1.1 are deprecated, RFC 8996. */
    static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    private final SSLSocketFactory factory;
    private final String[] protocols;
    /** null: the JDK's default cipher suites for the protocols. */
    private final String[] ciphers;
    private final boolean verifyHostname;

    private DownstreamTls(SSLSocketFactory factory, String[] protocols, String[] ciphers, boolean verifyHostname) {
        this.factory = factory;
        this.protocols = protocols;
        this.ciphers = ciphers;
        this.verifyHostname = verifyHostname;
    }

    /** The TLS of a destination whose {@code tls.enabled} is true, every store of its bundle loaded. */
    static DownstreamTls of(String destination, DestinationTls settings, SslBundles bundles) {
        String prefix = "carebus.destinations." + destination + ".tls";
        String name = settings.getSslBundle() == null ? "" : settings.getSslBundle().trim();
        if (name.isEmpty()) {
            throw new IllegalStateException(prefix + ".enabled=true needs " + prefix + ".ssl-bundle: the name of a"
                    + " spring.ssl.bundle.jks.<name> (or .pem.<name>) holding the trust store and, for mutual TLS,"
                    + " the key store");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(name);
        } catch (NoSuchSslBundleException e) {
            throw new IllegalStateException(prefix + ".ssl-bundle names SSL bundle '" + name + "', which is not"
                    + " configured (spring.ssl.bundle.jks." + name + " or spring.ssl.bundle.pem." + name + ")", e);
        }
        KeyStore trustStore;
        KeyStore keyStore;
        SSLContext context;
        try {
            trustStore = bundle.getStores().getTrustStore();
            keyStore = bundle.getStores().getKeyStore();
            context = bundle.createSslContext();
        } catch (RuntimeException e) {
            throw new IllegalStateException("SSL bundle '" + name + "' of destination " + destination
                    + " cannot be loaded: " + causes(e), e);
        }
        String[] protocols = bundle.getOptions().getEnabledProtocols() != null
                ? bundle.getOptions().getEnabledProtocols() : DEFAULT_PROTOCOLS.toArray(String[]::new);
        List<String> supported = Arrays.asList(context.getSupportedSSLParameters().getProtocols());
        for (String protocol : protocols) {
            if (!supported.contains(protocol)) {
                throw new IllegalStateException("SSL bundle '" + name + "' of destination " + destination
                        + " enables protocol " + protocol + ", which this JVM does not support " + supported);
            }
        }
        log.info("Destination {}: TLS {} with SSL bundle '{}' ({}, {}, host name verification {})", destination,
                String.join("/", protocols), name,
                trustStore == null ? "the JVM's trusted CAs" : "its trust store",
                keyStore == null ? "no client certificate" : "a client certificate (mutual TLS)",
                settings.isVerifyHostname() ? "on" : "OFF");
        if (!settings.isVerifyHostname()) {
            log.warn("Destination {}: TLS host name verification is off: any certificate the trust store accepts is"
                    + " taken for the destination's host", destination);
        }
        return new DownstreamTls(context.getSocketFactory(), protocols, bundle.getOptions().getCiphers(),
                settings.isVerifyHostname());
    }

    /**
     * TLS over a connected socket, handshake done: a certificate the trust store does not accept, or one that does
     * not name {@code host}, fails here with an SSLHandshakeException, a connection failure like any other.
     */
    SSLSocket handshake(Socket connected, String host, int port, int timeoutMs) throws IOException {
        // the host name given here is also sent as SNI (RFC 6066 §3) when it is not an IP address
        SSLSocket socket = (SSLSocket) factory.createSocket(connected, host, port, true);
        try {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setProtocols(protocols);
            if (ciphers != null) {
                parameters.setCipherSuites(ciphers);
            }
            if (verifyHostname) {
                // the server identity check of HTTPS (RFC 2818 §3.1): the certificate's subjectAltName (dNSName or
                // iPAddress) must match the host connected to, as RFC 6125 describes for TLS in general
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            socket.setSSLParameters(parameters);
            socket.setSoTimeout(timeoutMs);
            socket.startHandshake();
            return socket;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The messages of an exception and its causes: "Could not load store from 'x'" says little on its own. */
    private static String causes(Throwable e) {
        StringBuilder text = new StringBuilder();
        String last = null;
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (last == null || !last.contains(message)) {
                text.append(text.length() == 0 ? "" : "; ").append(message);
            } else if (!(t instanceof RuntimeException)) {
                text.append(" (").append(t.getClass().getSimpleName()).append(')');   // e.g. FileNotFoundException
            }
            last = message;
        }
        return text.toString();
    }
}
