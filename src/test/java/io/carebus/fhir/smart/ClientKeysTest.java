package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.carebus.security.OutboundUrlPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A jwks_uri is fetched only if carebus.security.outbound-urls allows it at the time of the fetch. */
class ClientKeysTest {

    private static final JWSHeader HEADER = new JWSHeader.Builder(JWSAlgorithm.ES384).keyID("k1").build();

    private HttpServer server;
    private final AtomicInteger jwksRequests = new AtomicInteger();

    @BeforeEach
    void startKeyServer() throws Exception {
        byte[] jwks = new JWKSet(new ECKeyGenerator(Curve.P_384).keyID("k1").generate().toPublicJWK())
                .toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/jwks.json", exchange -> {
            jwksRequests.incrementAndGet();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            exchange.getResponseBody().write(jwks);
            exchange.close();
        });
        server.createContext("/moved", exchange -> {
            exchange.getResponseHeaders().add("Location", url("/jwks.json"));
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopKeyServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static ClientKeys keys(OutboundUrlPolicy policy) {
        return new ClientKeys(Duration.ofMinutes(5), Duration.ofSeconds(2), policy);
    }

    private static SmartClient client(String id, String jwksUri) {
        return new SmartClient(id, id, SmartClient.Type.CONFIDENTIAL_ASYMMETRIC, List.of(), null, jwksUri,
                SmartScopes.parse("system/Patient.rs"));
    }

    @Test
    void anAllowedJwksUriIsFetched() throws Exception {
        assertThat(keys(new OutboundUrlPolicy(true, true)).candidates(client("c1", url("/jwks.json")), HEADER))
                .hasSize(1);
        assertThat(jwksRequests).hasValue(1);
    }

    @Test
    void aJwksUriOnALocalAddressIsNeverFetchedAtTheDefaults() {
        // as if the name had resolved to a public address at registration and now resolves to the engine's own host
        assertThatThrownBy(() -> keys(new OutboundUrlPolicy(true, false)).candidates(client("c1", url("/jwks.json")),
                HEADER)).isInstanceOf(KeySourceException.class)
                .hasRootCauseMessage("jwks_uri host 127.0.0.1 is a local, private or reserved address");
        assertThatThrownBy(() -> keys(OutboundUrlPolicy.strict()).candidates(client("c1", url("/jwks.json")),
                HEADER)).isInstanceOf(KeySourceException.class)
                .hasRootCauseMessage("jwks_uri must be an https URL");
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    void aJwksHostThatRebindsToALocalAddressIsNotConnectedTo() {
        // the name resolves to a public address for the policy's check, then to the engine's own host (DNS rebinding)
        AtomicInteger lookups = new AtomicInteger();
        OutboundUrlPolicy policy = new OutboundUrlPolicy(true, false, host -> new InetAddress[] {
                InetAddress.getByName(lookups.getAndIncrement() == 0 ? "93.184.215.14" : "127.0.0.1")});
        String rebinding = "http://localhost:" + server.getAddress().getPort() + "/jwks.json";
        assertThatThrownBy(() -> keys(policy).candidates(client("c1", rebinding), HEADER))
                .isInstanceOf(KeySourceException.class);
        assertThat(lookups).hasValueGreaterThan(1);
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    void aRedirectIsNotFollowed() {
        assertThatThrownBy(() -> keys(new OutboundUrlPolicy(true, true)).candidates(client("c1", url("/moved")),
                HEADER)).isInstanceOf(KeySourceException.class);
        assertThat(jwksRequests).hasValue(0);
    }

    @Test
    void theKeySetsKeptAreBounded() {
        ClientKeys keys = keys(OutboundUrlPolicy.strict());
        for (int i = 0; i < ClientKeys.MAX_REMOTE_KEY_SETS + 200; i++) {
            try {
                keys.candidates(client("c" + i, "https://127.0.0.1/jwks.json"), HEADER);
            } catch (KeySourceException refused) {
                // refused by the policy, but the client's key source was made
            }
        }
        assertThat(keys.remoteKeySets()).isLessThanOrEqualTo(ClientKeys.MAX_REMOTE_KEY_SETS);
    }
}
