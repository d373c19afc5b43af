package io.carebus.fhir.smart;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Signs access tokens: JWTs with iss, sub, aud (the FHIR base URL), exp, iat, jti, client_id, scope and, when
 * they apply, patient and fhirUser. Their life is capped at five minutes.
 */
public class AccessTokenIssuer {

    /** RFC 9068 §2.1 media type of a JWT access token. */
    public static final JOSEObjectType AT_JWT = new JOSEObjectType("at+jwt");

    private final SmartSigningKey key;
    private final SmartUrls urls;
    private final Duration lifetime;
    private final Clock clock;

    public AccessTokenIssuer(SmartSigningKey key, SmartUrls urls, Duration lifetime, Clock clock) {
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(SmartProperties.MAX_ACCESS_TOKEN_LIFETIME) > 0) {
            throw new IllegalStateException("carebus.smart.access-token-lifetime must be more than 0 and at most 300 s");
        }
        this.key = key;
        this.urls = urls;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    public record AccessToken(String value, long expiresIn) {
    }

    public AccessToken issue(SmartGrant grant) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(urls.issuer())
                .subject(grant.subject())
                .audience(urls.fhirBase())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .claim(SmartClaims.CLIENT_ID, grant.clientId())
                .claim(SmartClaims.SCOPE, grant.scopes().toString());
        if (grant.patient() != null) {
            claims.claim(SmartClaims.PATIENT, grant.patient());
        }
        if (grant.fhirUser() != null) {
            claims.claim(SmartClaims.FHIR_USER, grant.fhirUser());
        }
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(key.algorithm()).keyID(key.keyId()).type(AT_JWT).build(),
                    claims.build());
            jwt.sign(key.signer());
            return new AccessToken(jwt.serialize(), lifetime.toSeconds());
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an access token", e);
        }
    }
}
