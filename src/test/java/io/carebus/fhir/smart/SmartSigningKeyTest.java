package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SmartSigningKeyTest {

    @TempDir
    Path dataDir;

    @Test
    void developmentKeyIsGeneratedOnceAndKept() throws Exception {
        SmartSigningKey first = SmartSigningKey.from("", dataDir);
        SmartSigningKey again = SmartSigningKey.from(null, dataDir);
        assertThat(Files.exists(dataDir.resolve("smart-signing-dev.jwk"))).isTrue();
        assertThat(again.keyId()).isEqualTo(first.keyId());
        assertThat(first.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(first.publicJwks().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
    }

    @Test
    void rsaPkcs8PemFromTheEnvironment() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(rsa.generateKeyPair().getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        SmartSigningKey key = SmartSigningKey.from(pem, dataDir);
        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.RS256);
        assertThat(key.keyId()).isNotBlank();
        assertThat(Files.exists(dataDir.resolve("smart-signing-dev.jwk"))).isFalse();
    }

    @Test
    void ecJwkFromTheEnvironment() throws Exception {
        String jwk = new ECKeyGenerator(Curve.P_384).keyID("prod-1").generate().toJSONString();
        SmartSigningKey key = SmartSigningKey.from(jwk, dataDir);
        assertThat(key.algorithm()).isEqualTo(JWSAlgorithm.ES384);
        assertThat(key.keyId()).isEqualTo("prod-1");
    }

    @Test
    void publicOrGarbageKeysAreRefused() throws Exception {
        String publicOnly = new ECKeyGenerator(Curve.P_256).generate().toPublicJWK().toJSONString();
        assertThatThrownBy(() -> SmartSigningKey.from(publicOnly, dataDir)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SmartSigningKey.from("not a key", dataDir)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void accessTokensLiveAtMostFiveMinutes() throws Exception {
        SmartSigningKey key = SmartSigningKey.from("", dataDir);
        SmartUrls urls = new SmartUrls("https://carebus.example.org", "", "");
        assertThatThrownBy(() -> new AccessTokenIssuer(key, urls, Duration.ofSeconds(301), Clock.systemUTC()))
                .isInstanceOf(IllegalStateException.class);
        AccessTokenIssuer issuer = new AccessTokenIssuer(key, urls, Duration.ofSeconds(300), Clock.systemUTC());
        AccessTokenIssuer.AccessToken token = issuer.issue(new SmartGrant("c", null, null, null,
                SmartScopes.parse("system/Patient.rs")));
        assertThat(token.expiresIn()).isEqualTo(300);
        assertThat(urls.fhirBase()).isEqualTo("https://carebus.example.org/fhir");
        assertThat(urls.tokenEndpoint()).isEqualTo("https://carebus.example.org/auth/token");
    }
}
