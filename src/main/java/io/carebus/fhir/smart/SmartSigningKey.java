package io.carebus.fhir.smart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.text.ParseException;
import java.util.Base64;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key access tokens are signed with: CAREBUS_SMART_SIGNING_KEY (a private JWK, RSA or EC P-256/P-384, or an
 * RSA PKCS#8 PEM); without it a development RSA key is generated once under the data directory, with a warning.
 */
public final class SmartSigningKey {

    private static final Logger log = LoggerFactory.getLogger(SmartSigningKey.class);

    private final JWK key;
    private final JWSAlgorithm algorithm;

    private SmartSigningKey(JWK key) throws JOSEException {
        if (!key.isPrivate()) {
            throw new IllegalStateException("carebus.smart.signing-key must be a private key");
        }
        if (key.getKeyID() == null) {
            key = key instanceof RSAKey rsa ? new RSAKey.Builder(rsa).keyIDFromThumbprint().build()
                    : new ECKey.Builder((ECKey) key).keyIDFromThumbprint().build();
        }
        this.key = key;
        if (key instanceof RSAKey) {
            this.algorithm = JWSAlgorithm.RS256;
        } else if (key instanceof ECKey ec) {
            Curve curve = ec.getCurve();
            this.algorithm = Curve.P_256.equals(curve) ? JWSAlgorithm.ES256
                    : Curve.P_384.equals(curve) ? JWSAlgorithm.ES384 : JWSAlgorithm.ES512;
        } else {
            throw new IllegalStateException("carebus.smart.signing-key must be an RSA or EC key");
        }
    }

    public static SmartSigningKey from(String configured, Path dataDir) throws IOException {
        try {
            if (configured != null && !configured.isBlank()) {
                return new SmartSigningKey(parse(configured.trim()));
            }
            return new SmartSigningKey(devKey(dataDir.resolve("smart-signing-dev.jwk")));
        } catch (JOSEException | ParseException | GeneralSecurityException e) {
            throw new IllegalStateException("carebus.smart.signing-key is not a usable private JWK or RSA PKCS#8 PEM", e);
        }
    }

    private static JWK parse(String text) throws ParseException, GeneralSecurityException {
        if (text.startsWith("{")) {
            return JWK.parse(text);
        }
        if (text.contains("BEGIN PRIVATE KEY")) {
            String base64 = text.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            KeyFactory rsa = KeyFactory.getInstance("RSA");
            RSAPrivateCrtKey priv = (RSAPrivateCrtKey) rsa.generatePrivate(
                    new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            RSAPublicKey pub = (RSAPublicKey) rsa.generatePublic(
                    new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
            return new RSAKey.Builder(pub).privateKey(priv).build();
        }
        throw new ParseException("neither a JWK nor a PKCS#8 PEM", 0);
    }

    private static JWK devKey(Path file) throws IOException, JOSEException, ParseException {
        if (Files.exists(file)) {
            return JWK.parse(Files.readString(file));
        }
        log.warn("No CAREBUS_SMART_SIGNING_KEY in the environment: generated a development token signing key in {}. "
                + "Set CAREBUS_SMART_SIGNING_KEY (a private JWK or RSA PKCS#8 PEM) in any real deployment.", file);
        RSAKey key = new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE).keyIDFromThumbprint(true).generate();
        Files.createDirectories(file.getParent());
        Files.writeString(file, key.toJSONString(), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        return key;
    }

    public JWSAlgorithm algorithm() { return algorithm; }
    public String keyId() { return key.getKeyID(); }

    /** The public half, as served at /auth/jwks. */
    public JWKSet publicJwks() {
        return new JWKSet(key.toPublicJWK());
    }

    public JWSSigner signer() throws JOSEException {
        return key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
    }
}
