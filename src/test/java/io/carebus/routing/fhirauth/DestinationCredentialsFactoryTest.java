package io.carebus.routing.fhirauth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashSet;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.carebus.config.CarebusProperties.DestinationAuth;
import io.carebus.support.SmartTestClients;
import org.junit.jupiter.api.Test;

/** A FHIR destination's auth settings: checked at start-up, and the client assertion they sign (RFC 7523 §3). */
class DestinationCredentialsFactoryTest {

    private static final String TOKEN_URL = "https://ehr.example.org/oauth2/token";
    private static final RSAKey RSA = SmartTestClients.rsa("k-rsa");
    private static final ECKey EC = SmartTestClients.ec("k-ec");

    @Test
    void noneIsTheDefault() {
        assertThat(DestinationCredentialsFactory.create("ehr", new DestinationAuth())).isEmpty();
    }

    @Test
    void basicSendsTheUsernameAndPassword() throws Exception {
        DestinationAuth auth = new DestinationAuth();
        auth.setType("basic");
        auth.setUsername("carebus");
        auth.setPassword("s3cret");
        // RFC 7617 §2: base64("carebus:s3cret")
        assertThat(DestinationCredentialsFactory.create("ehr", auth).orElseThrow().authorization())
                .isEqualTo("Basic Y2FyZWJ1czpzM2NyZXQ=");
    }

    @Test
    void aMissingSettingStopsTheStartNamingIt() {
        DestinationAuth noTokenUrl = smart(SmartTestClients.pkcs8Pem(RSA));
        noTokenUrl.setTokenUrl("");
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", noTokenUrl))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("carebus.destinations.ehr.auth.token-url is not set");
        DestinationAuth noPassword = new DestinationAuth();
        noPassword.setType("basic");
        noPassword.setUsername("carebus");
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", noPassword))
                .hasMessageContaining("carebus.destinations.ehr.auth.password is not set");
        DestinationAuth unknown = new DestinationAuth();
        unknown.setType("oauth");
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", unknown))
                .hasMessageContaining("none, basic or smart-backend");
    }

    @Test
    void anUnreadableKeyStopsTheStartWithoutQuotingIt() throws Exception {
        String pem = SmartTestClients.pkcs8Pem(RSA);
        String garbled = pem.replace("-----BEGIN PRIVATE KEY-----\n", "-----BEGIN PRIVATE KEY-----\nAAAA");
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", smart(garbled)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("carebus.destinations.ehr.auth.private-key cannot be used")
                .hasMessageNotContaining(pem.substring(40, 80));
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", smart("")))
                .hasMessageContaining("no private key is set");
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr",
                smart("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----")))
                .hasMessageContaining("not PKCS#8");
        ECKey p256 = new ECKeyGenerator(Curve.P_256).generate();
        assertThatThrownBy(() -> DestinationCredentialsFactory.create("ehr", smart(SmartTestClients.pkcs8Pem(p256))))
                .hasMessageContaining("not on curve P-384");
    }

    @Test
    void theAssertionIsSignedRs384WithAnRsaKey() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signer(RSA).sign());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS384);
        assertThat(jwt.verify(new RSASSAVerifier(RSA.toRSAPublicKey()))).isTrue();
        assertSmartClaims(jwt);
    }

    @Test
    void theAssertionIsSignedEs384WithAnEcP384Key() throws Exception {
        SignedJWT jwt = SignedJWT.parse(signer(EC).sign());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES384);
        assertThat(jwt.verify(new ECDSAVerifier(EC.toECPublicKey()))).isTrue();
        assertSmartClaims(jwt);
    }

    @Test
    void eachAssertionHasItsOwnJti() throws Exception {
        ClientAssertionSigner signer = signer(RSA);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            ids.add(SignedJWT.parse(signer.sign()).getJWTClaimsSet().getJWTID());
        }
        assertThat(ids).hasSize(5);
    }

    /** SMART App Launch 2.x Backend Services: iss = sub = client_id, aud = token URL, exp at most 5 minutes ahead. */
    private static void assertSmartClaims(SignedJWT jwt) throws Exception {
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertThat(jwt.getHeader().getKeyID()).isIn("k-rsa", "k-ec");
        assertThat(claims.getIssuer()).isEqualTo("carebus-client");
        assertThat(claims.getSubject()).isEqualTo("carebus-client");
        assertThat(claims.getAudience()).containsExactly(TOKEN_URL);
        assertThat(claims.getJWTID()).isNotBlank();
        assertThat(claims.getExpirationTime()).isAfter(new Date())
                .isBeforeOrEqualTo(Date.from(Instant.now().plus(Duration.ofMinutes(5))));
    }

    private static ClientAssertionSigner signer(com.nimbusds.jose.jwk.JWK key) throws Exception {
        return new ClientAssertionSigner("carebus-client", TOKEN_URL, key.getKeyID(),
                PemPrivateKeys.read(SmartTestClients.pkcs8Pem((com.nimbusds.jose.jwk.AsymmetricJWK) key)),
                java.time.Clock.systemUTC());
    }

    private static DestinationAuth smart(String pem) {
        DestinationAuth auth = new DestinationAuth();
        auth.setType("smart-backend");
        auth.setTokenUrl(TOKEN_URL);
        auth.setClientId("carebus-client");
        auth.setKeyId("k-rsa");
        auth.setPrivateKey(pem);
        return auth;
    }
}
