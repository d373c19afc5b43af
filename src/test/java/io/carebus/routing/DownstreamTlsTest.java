package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.Socket;
import java.util.Map;

import javax.net.ssl.SSLSocket;

import io.carebus.config.CarebusProperties;
import io.carebus.config.CarebusProperties.Destination;
import io.carebus.support.DownstreamReceiver;
import io.carebus.support.DownstreamTlsKeys;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.boot.ssl.jks.JksSslStoreBundle;
import org.springframework.boot.ssl.jks.JksSslStoreDetails;

/**
 * A destination's TLS settings are checked when the engine starts (OutboundMllp is made then): an unknown bundle,
 * a missing store file or a wrong password stop the start with the reason, before any message is sent.
 */
class DownstreamTlsTest {

    private static final String TRUST = DownstreamTlsKeys.store("carebus-trust").toString();

    @Test
    void aDestinationWithTlsButNoBundleNamedStopsTheStart() {
        assertThatThrownBy(() -> outbound(tls(""), new DefaultSslBundleRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("carebus.destinations.partner.tls.ssl-bundle");
    }

    @Test
    void anUnknownBundleStopsTheStart() {
        assertThatThrownBy(() -> outbound(tls("nowhere"), new DefaultSslBundleRegistry()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("'nowhere'").hasMessageContaining("spring.ssl.bundle.jks.nowhere");
    }

    @Test
    void aMissingTrustStoreFileStopsTheStart() {
        String missing = TRUST.replace("carebus-trust", "no-such-store");
        assertThatThrownBy(() -> outbound(tls("partner"), registry(missing, DownstreamTlsKeys.PASSWORD)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SSL bundle 'partner' of destination partner cannot be loaded")
                .hasMessageContaining("no-such-store").hasMessageContaining("FileNotFoundException");
    }

    @Test
    void aWrongTrustStorePasswordStopsTheStart() {
        assertThatThrownBy(() -> outbound(tls("partner"), registry(TRUST, "not-the-password")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SSL bundle 'partner' of destination partner cannot be loaded")
                .hasMessageContaining("password");
    }

    @Test
    void anUnsupportedProtocolStopsTheStart() {
        DefaultSslBundleRegistry registry = new DefaultSslBundleRegistry("partner", SslBundle.of(
                new JksSslStoreBundle(null, new JksSslStoreDetails(null, null, TRUST, DownstreamTlsKeys.PASSWORD)),
                null, SslOptions.of(null, new String[] {"TLSv1.7"})));
        assertThatThrownBy(() -> outbound(tls("partner"), registry))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("TLSv1.7");
    }

    @Test
    void aDisabledDestinationsTlsIsNotLoaded() {
        // nothing is sent to it: its settings may be incomplete until it is switched on
        OutboundMllp outbound = new OutboundMllp(Map.of("partner", tls("nowhere")), name -> false,
                new DefaultSslBundleRegistry());
        outbound.close();
    }

    @Test
    void tls13And12WithTheHostNameCheckedByDefault() throws Exception {
        DownstreamTls tls = DownstreamTls.of("partner", tls("partner").getTls(),
                registry(TRUST, DownstreamTlsKeys.PASSWORD));
        try (DownstreamReceiver receiver = DownstreamTlsKeys.receiver("receiver", false);
             SSLSocket socket = tls.handshake(new Socket("localhost", receiver.port()), "localhost",
                     receiver.port(), 5000)) {
            assertThat(socket.getSSLParameters().getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
        }
    }

    @Test
    void withHostNameVerificationOffACertificateOfAnotherHostIsTaken() throws Exception {
        Destination destination = tls("partner");
        destination.getTls().setVerifyHostname(false);
        DownstreamTls tls = DownstreamTls.of("partner", destination.getTls(), registry(TRUST, DownstreamTlsKeys.PASSWORD));
        try (DownstreamReceiver receiver = DownstreamTlsKeys.receiver("wrong-host", false);
             SSLSocket socket = tls.handshake(new Socket("localhost", receiver.port()), "localhost",
                     receiver.port(), 5000)) {
            assertThat(socket.getSSLParameters().getEndpointIdentificationAlgorithm()).isNull();
            assertThat(socket.getSession().getPeerPrincipal().getName()).isEqualTo("CN=elsewhere.example");
        }
    }

    private static void outbound(Destination destination, DefaultSslBundleRegistry registry) {
        new OutboundMllp(Map.of("partner", destination), name -> true, registry).close();
    }

    private static DefaultSslBundleRegistry registry(String trustStore, String password) {
        return new DefaultSslBundleRegistry("partner", SslBundle.of(
                new JksSslStoreBundle(null, new JksSslStoreDetails(null, null, trustStore, password))));
    }

    private static Destination tls(String bundle) {
        Destination destination = new CarebusProperties.Destination();
        destination.setPort(2576);
        destination.getTls().setEnabled(true);
        destination.getTls().setSslBundle(bundle);
        return destination;
    }
}
