package io.carebus.routing.fhirauth;

import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs the client assertion of SMART App Launch 2.x Backend Services (§Authenticating to the token endpoint, RFC 7523
 * §2.2): iss = sub = client_id, aud = the token endpoint, exp at most five minutes ahead, a unique jti; RS384 with an
 * RSA key, ES384 with an EC P-384 key (the two algorithms SMART servers must support).
 */
final class ClientAssertionSigner {

    /** SMART Backend Services: exp no more than five minutes in the future; a little less for clock skew. */
    static final Duration LIFETIME = Duration.ofMinutes(4);

    private final String clientId;
    private final String tokenUrl;
    private final String keyId;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final Clock clock;

    ClientAssertionSigner(String clientId, String tokenUrl, String keyId, PrivateKey key, Clock clock) {
        this.clientId = clientId;
        this.tokenUrl = tokenUrl;
        this.keyId = keyId == null || keyId.isBlank() ? null : keyId;
        this.clock = clock;
        try {
            if (key instanceof RSAPrivateKey rsa) {
                this.algorithm = JWSAlgorithm.RS384;
                this.signer = new RSASSASigner(rsa);
            } else if (key instanceof ECPrivateKey ec) {
                if (!Curve.P_384.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalArgumentException("the EC private key is not on curve P-384 (ES384)");
                }
                this.algorithm = JWSAlgorithm.ES384;
                this.signer = new ECDSASigner(ec);
            } else {
                throw new IllegalArgumentException("the private key is " + key.getAlgorithm() + ", not RSA or EC P-384");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("the private key cannot sign: " + e.getMessage(), e);
        }
    }

    JWSAlgorithm algorithm() {
        return algorithm;
    }

    String sign() throws JOSEException {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(tokenUrl)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        // SMART Backend Services: typ JWT, kid of the key in the client's JWKS
        JWSHeader header = new JWSHeader.Builder(algorithm).type(JOSEObjectType.JWT).keyID(keyId).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }
}
