package io.carebus.fhir.smart;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;

/**
 * A client's public keys that may have signed an assertion: from its inline JWKS, or fetched from its jwks_uri
 * and cached (an unknown {@code kid} makes nimbus fetch again, rate limited). Keys are matched to the JWS header:
 * {@code kid}, key type and {@code alg}. The caller requires a {@code kid}: without it nimbus matches any key.
 */
public class ClientKeys {

    private static final int MAX_JWKS_BYTES = 64 * 1024;

    private final Duration cacheTtl;
    private final Duration fetchTimeout;
    private final Map<String, JWKSource<SecurityContext>> remote = new ConcurrentHashMap<>();

    public ClientKeys(Duration cacheTtl, Duration fetchTimeout) {
        this.cacheTtl = cacheTtl;
        this.fetchTimeout = fetchTimeout;
    }

    public List<JWK> candidates(SmartClient client, JWSHeader header) throws KeySourceException {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        if (client.jwks() != null) {
            return selector.select(SmartClientRegistry.publicKeys(client.jwks()));
        }
        if (client.jwksUri() == null) {
            return List.of();
        }
        return remote.computeIfAbsent(client.clientId() + " " + client.jwksUri(), k -> source(client.jwksUri()))
                .get(selector, null);
    }

    private JWKSource<SecurityContext> source(String uri) {
        int timeout = (int) fetchTimeout.toMillis();
        try {
            return JWKSourceBuilder.<SecurityContext>create(URI.create(uri).toURL(),
                            new DefaultResourceRetriever(timeout, timeout, MAX_JWKS_BYTES))
                    .cache(cacheTtl.toMillis(), fetchTimeout.toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL");
        }
    }
}
