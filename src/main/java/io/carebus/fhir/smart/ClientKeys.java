package io.carebus.fhir.smart;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.time.Duration;
import java.util.List;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import io.carebus.security.OutboundUrlPolicy;

/**
 * A client's public keys that may have signed an assertion: from its inline JWKS, or fetched from its jwks_uri
 * and cached (an unknown {@code kid} makes nimbus fetch again, rate limited). Keys are matched to the JWS header:
 * {@code kid}, key type and {@code alg}. The caller requires a {@code kid}: without it nimbus matches any key.
 * <p>
 * Each fetch passes {@link OutboundUrlPolicy} again and connects only to public addresses, checked as it connects
 * (the name may resolve elsewhere than at registration: DNS rebinding), and follows no redirect, which would lead
 * past that check ({@link JwksRetriever}). The key sets of at most
 * {@link #MAX_REMOTE_KEY_SETS} clients are kept.
 */
public class ClientKeys implements AutoCloseable {

    static final int MAX_REMOTE_KEY_SETS = 1_000;
    private static final int MAX_JWKS_BYTES = 64 * 1024;

    private final Duration cacheTtl;
    private final Duration fetchTimeout;
    private final JwksRetriever retriever;
    private final Cache<String, JWKSource<SecurityContext>> remote = Caffeine.newBuilder()
            .maximumSize(MAX_REMOTE_KEY_SETS)
            .build();

    public ClientKeys(Duration cacheTtl, Duration fetchTimeout, OutboundUrlPolicy outboundUrls) {
        this.cacheTtl = cacheTtl;
        this.fetchTimeout = fetchTimeout;
        this.retriever = new JwksRetriever(outboundUrls, (int) fetchTimeout.toMillis(), MAX_JWKS_BYTES);
    }

    public List<JWK> candidates(SmartClient client, JWSHeader header) throws KeySourceException {
        JWKSelector selector = new JWKSelector(JWKMatcher.forJWSHeader(header));
        if (client.jwks() != null) {
            return selector.select(SmartClientRegistry.publicKeys(client.jwks()));
        }
        if (client.jwksUri() == null) {
            return List.of();
        }
        return remote.get(client.clientId() + " " + client.jwksUri(), k -> source(client.jwksUri()))
                .get(selector, null);
    }

    /** How many clients' remote key sets are held (for tests: the cache is bounded). */
    long remoteKeySets() {
        remote.cleanUp();
        return remote.estimatedSize();
    }

    private JWKSource<SecurityContext> source(String uri) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(URI.create(uri).toURL(), retriever)
                    .cache(cacheTtl.toMillis(), fetchTimeout.toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("jwks_uri is not a URL");
        }
    }

    @Override
    public void close() throws IOException {
        retriever.close();
    }
}
