package io.carebus.hl7v2;

import io.carebus.config.CarebusProperties;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * TLS on the MLLP listener ({@code carebus.mllp.tls.*}): a key store for the server certificate and, for mutual
 * TLS, a trust store of the client certificates or their CA with {@code client-auth: REQUIRE}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "carebus.mllp.tls.enabled", havingValue = "true")
public class MllpTlsConfig {

    @Bean
    SSLContextParameters mllpSslContext(CarebusProperties properties) {
        CarebusProperties.Tls tls = properties.getMllp().getTls();
        if (tls.getKeyStore().isBlank()) {
            throw new IllegalStateException("carebus.mllp.tls.enabled=true needs carebus.mllp.tls.key-store");
        }
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setResource(resource(tls.getKeyStore()));
        keyStore.setPassword(tls.getKeyStorePassword());
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(tls.getKeyStorePassword());

        ClientAuthentication clientAuth = ClientAuthentication.valueOf(tls.getClientAuth().toUpperCase());
        if (clientAuth != ClientAuthentication.NONE && tls.getTrustStore().isBlank()) {
            // without a trust store the JVM's default (cacerts) would decide: any certificate from a public CA
            throw new IllegalStateException("carebus.mllp.tls.client-auth=" + clientAuth
                    + " needs carebus.mllp.tls.trust-store (the client certificates or their CA)");
        }
        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        if (!tls.getTrustStore().isBlank()) {
            KeyStoreParameters trustStore = new KeyStoreParameters();
            trustStore.setResource(resource(tls.getTrustStore()));
            trustStore.setPassword(tls.getTrustStorePassword());
            TrustManagersParameters trustManagers = new TrustManagersParameters();
            trustManagers.setKeyStore(trustStore);
            parameters.setTrustManagers(trustManagers);
        }
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(clientAuth.name());
        parameters.setServerParameters(server);
        return parameters;
    }

    private static String resource(String location) {
        return location.contains(":") ? location : "file:" + location;
    }
}
