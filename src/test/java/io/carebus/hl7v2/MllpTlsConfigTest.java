package io.carebus.hl7v2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carebus.config.CarebusProperties;
import org.junit.jupiter.api.Test;

/** The listener's TLS settings are checked at start-up, before any client connects. */
class MllpTlsConfigTest {

    @Test
    void clientCertificatesWithoutATrustStoreStopTheStart() {
        for (String clientAuth : new String[] {"REQUIRE", "want"}) {
            CarebusProperties properties = tls(clientAuth, "");
            assertThatThrownBy(() -> new MllpTlsConfig().mllpSslContext(properties))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("carebus.mllp.tls.trust-store");
        }
    }

    @Test
    void serverOnlyTlsNeedsNoTrustStore() {
        assertThat(new MllpTlsConfig().mllpSslContext(tls("NONE", "")).getServerParameters().getClientAuthentication())
                .isEqualTo("NONE");
        assertThat(new MllpTlsConfig().mllpSslContext(tls("REQUIRE", "trust.p12")).getTrustManagers()).isNotNull();
    }

    private static CarebusProperties tls(String clientAuth, String trustStore) {
        CarebusProperties properties = new CarebusProperties();
        CarebusProperties.Tls tls = properties.getMllp().getTls();
        tls.setKeyStore("server.p12");
        tls.setKeyStorePassword("changeit");
        tls.setTrustStore(trustStore);
        tls.setClientAuth(clientAuth);
        return properties;
    }
}
