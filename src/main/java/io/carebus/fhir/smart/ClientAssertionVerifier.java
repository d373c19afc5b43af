package io.carebus.fhir.smart;

import java.net.URI;
import java.security.Key;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.AsymmetricJWK;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a client by its private_key_jwt assertion (RFC 7523 §3, SMART App Launch 2.x §Backend Services
 * "Authenticating to the token endpoint"). Every failure is {@code invalid_client}; the reason is logged at DEBUG
 * only, with the client id (never the assertion).
 */
public class ClientAssertionVerifier {

    public static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    /** The algorithms SMART requires servers to support for client assertions. */
    public static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS384, JWSAlgorithm.ES384);
    // SMART App Launch 2.x §Backend Services: exp no more than five minutes in the future
    static final Duration MAX_AHEAD = Duration.ofMinutes(5);
    /** Tolerated difference between the client's clock and ours. */
    static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ClientAssertionVerifier.class);

    private final SmartClientRegistry clients;
    private final ClientKeys keys;
    private final UsedJtiStore usedJti;
    private final SmartUrls urls;
    private final Clock clock;

    public ClientAssertionVerifier(SmartClientRegistry clients, ClientKeys keys, UsedJtiStore usedJti, SmartUrls urls,
                                   Clock clock) {
        this.clients = clients;
        this.keys = keys;
        this.usedJti = usedJti;
        this.urls = urls;
        this.clock = clock;
    }

    /**
     * @param clientIdParam the request's client_id, when sent (it must then name the assertion's client)
     * @return the authenticated client
     */
    public SmartClient verify(String assertionType, String assertion, String clientIdParam) {
        if (!JWT_BEARER.equals(assertionType)) {
            throw refuse(null, "client_assertion_type must be " + JWT_BEARER);
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | NullPointerException e) {
            throw refuse(null, "client_assertion is not a signed JWT");
        }
        String clientId = claims.getIssuer();
        if (clientId == null || !clientId.equals(claims.getSubject())) {
            throw refuse(clientId, "client_assertion iss and sub must both be the client_id");
        }
        if (clientIdParam != null && !clientIdParam.isBlank() && !clientIdParam.equals(clientId)) {
            throw refuse(clientId, "client_id does not match the client_assertion");
        }
        SmartClient client = clients.find(clientId)
                .filter(c -> c.type() == SmartClient.Type.CONFIDENTIAL_ASYMMETRIC)
                .orElseThrow(() -> refuse(clientId, "unknown client or not a private_key_jwt client"));
        if (!ALGORITHMS.contains(jwt.getHeader().getAlgorithm())) {
            throw refuse(clientId, "client_assertion alg must be RS384 or ES384");
        }
        checkTimes(clientId, claims);
        List<String> audience = claims.getAudience();
        String tokenEndpoint = urls.tokenEndpoint();
        if (audience == null || !audience.contains(tokenEndpoint)) {
            throw refuse(clientId, "client_assertion aud must be the token endpoint " + tokenEndpoint);
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            throw refuse(clientId, "client_assertion has no jti");
        }
        checkKeyHeaders(client, jwt.getHeader());
        if (!signatureValid(client, jwt)) {
            throw refuse(clientId, "client_assertion signature does not verify with the client's keys");
        }
        // checked last, so that a forged assertion cannot use up a genuine jti
        // kept as long as the assertion could still be accepted: exp plus the clock skew allowed above
        if (!usedJti.firstUse(clientId, claims.getJWTID(),
                claims.getExpirationTime().toInstant().plus(CLOCK_SKEW))) {
            throw refuse(clientId, "client_assertion jti was used before");
        }
        return client;
    }

    private void checkTimes(String clientId, JWTClaimsSet claims) {
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw refuse(clientId, "client_assertion has no exp");
        }
        if (!exp.toInstant().plus(CLOCK_SKEW).isAfter(now)) {
            throw refuse(clientId, "client_assertion expired");
        }
        if (exp.toInstant().isAfter(now.plus(MAX_AHEAD).plus(CLOCK_SKEW))) {
            throw refuse(clientId, "client_assertion exp is more than 5 minutes ahead");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && nbf.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
            throw refuse(clientId, "client_assertion is not valid yet (nbf)");
        }
    }

    /**
     * SMART App Launch 2.x client-confidential-asymmetric, "Signature Verification": the {@code kid} header is required
     * and names the key; a {@code jku} header is only accepted when it is the jwks_uri the client registered.
     */
    private void checkKeyHeaders(SmartClient client, JWSHeader header) {
        if (header.getKeyID() == null || header.getKeyID().isBlank()) {
            throw refuse(client.clientId(), "client_assertion has no kid header");
        }
        URI jku = header.getJWKURL();
        if (jku != null && (client.jwksUri() == null || !client.jwksUri().equals(jku.toString()))) {
            throw refuse(client.clientId(), "client_assertion jku is not the client's registered jwks_uri");
        }
    }

    private boolean signatureValid(SmartClient client, SignedJWT jwt) {
        try {
            List<JWK> matching = keys.candidates(client, jwt.getHeader());
            // the one key of the client's JWKS that matches kid and kty (SMART "Signature Verification")
            if (matching.size() != 1 || !(matching.get(0) instanceof AsymmetricJWK asymmetric)) {
                log.debug("client {}: {} keys match the assertion's kid and kty, not one", client.clientId(),
                        matching.size());
                return false;
            }
            Key publicKey = asymmetric.toPublicKey();
            JWSVerifier verifier = new DefaultJWSVerifierFactory().createJWSVerifier(jwt.getHeader(), publicKey);
            return jwt.verify(verifier);
        } catch (JOSEException | IllegalArgumentException e) {
            log.debug("client {}: keys not usable: {}", client.clientId(), e.getMessage());
            return false;
        }
    }

    private static OAuthError refuse(String clientId, String reason) {
        log.debug("client authentication refused for client {}: {}", clientId, reason);
        return OAuthError.invalidClient(reason);
    }
}
