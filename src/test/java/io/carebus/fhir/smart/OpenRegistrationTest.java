package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.Map;

import java.net.InetAddress;
import java.net.UnknownHostException;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carebus.security.OutboundUrlPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.http.HttpStatus;

/**
 * The registration policy when open registration is switched on: anyone, but only within open-scopes; and the
 * jwks_uri the engine will fetch, under carebus.security.outbound-urls at its defaults (https, public addresses).
 */
class OpenRegistrationTest {

    private final SmartClientRegistry registry = mock(SmartClientRegistry.class);

    /** Resolves without DNS: *.example.org is public, *.corp.internal is 10.0.0.7, literals as they are. */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        if (host.endsWith(".example.org")) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {93, (byte) 184, (byte) 215, 14})};
        }
        if (host.endsWith(".corp.internal")) {
            return new InetAddress[] {InetAddress.getByAddress(host, new byte[] {10, 0, 0, 7})};
        }
        if (Character.isDigit(host.charAt(0)) || host.contains(":")) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
    }

    private RegistrationEndpoint endpoint(boolean open) {
        SmartProperties properties = new SmartProperties();
        properties.getRegistration().setOpen(open);
        return new RegistrationEndpoint(registry, properties, new ObjectMapper(),
                new OutboundUrlPolicy(false, false, OpenRegistrationTest::resolve));
    }

    @Test
    void anonymousAppWithinOpenScopesIsRegistered() {
        var response = endpoint(true).register(Map.of("client_name", "Diary", "token_endpoint_auth_method", "none",
                "redirect_uris", List.of("https://diary.example.org/cb"),
                "scope", "launch/patient patient/Observation.rs offline_access"), null, null);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
        verify(registry).register(any(SmartClient.class), any(String.class), eq("open"));
    }

    @Test
    void anonymousBackendAskingForSystemScopesIsRefused() {
        assertThatThrownBy(() -> endpoint(true).register(Map.of("token_endpoint_auth_method", "private_key_jwt",
                "jwks_uri", "https://backend.example.org/jwks.json", "scope", "system/*.rs"), null, null))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error()).isEqualTo("invalid_client_metadata"));
    }

    @Test
    void backendWithAPublicHttpsJwksUriIsRegistered() {
        var response = endpoint(true).register(Map.of("token_endpoint_auth_method", "private_key_jwt",
                "jwks_uri", "https://backend.example.org/jwks.json", "scope", "patient/*.rs"), null, null);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.CREATED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/actuator/env", "https://127.0.0.1:8443/jwks.json",
            "https://localhost/jwks.json", "https://[::1]/jwks.json", "https://169.254.169.254/latest/meta-data/",
            "https://keys.corp.internal/jwks.json", "https://192.168.0.10/jwks.json",
            "https://nowhere.invalid/jwks.json", "https://user:pw@backend.example.org/jwks.json",
            "http://backend.example.org/jwks.json"})
    void jwksUriTheEngineMustNotFetchIsInvalidClientMetadata(String jwksUri) {
        assertThatThrownBy(() -> endpoint(true).register(Map.of("token_endpoint_auth_method", "private_key_jwt",
                "jwks_uri", jwksUri, "scope", "patient/*.rs"), null, null))
                .isInstanceOfSatisfying(OAuthError.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_client_metadata");
                    assertThat(e.status()).isEqualTo(HttpStatus.BAD_REQUEST);
                    assertThat(e.getMessage()).startsWith("jwks_uri ");
                });
        verify(registry, org.mockito.Mockito.never()).register(any(), any(), any());
    }

    @Test
    void closedRegistrationRefusesAnonymousCallers() {
        assertThatThrownBy(() -> endpoint(false).register(Map.of("token_endpoint_auth_method", "none",
                "redirect_uris", List.of("https://diary.example.org/cb"), "scope", "patient/*.rs"), null, null))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.status()).isEqualTo(HttpStatus.UNAUTHORIZED));
    }

    @Test
    void plainHttpRedirectIsRefusedExceptOnLoopback() {
        assertThatThrownBy(() -> endpoint(true).register(Map.of("token_endpoint_auth_method", "none",
                "redirect_uris", List.of("http://diary.example.org/cb"), "scope", "patient/*.rs"), null, null))
                .isInstanceOfSatisfying(OAuthError.class, e -> assertThat(e.error()).isEqualTo("invalid_redirect_uri"));
        assertThat(endpoint(true).register(Map.of("token_endpoint_auth_method", "none",
                "redirect_uris", List.of("http://127.0.0.1:8765/cb"), "scope", "patient/*.rs"), null, null)
                .getStatusCode()).isEqualTo(HttpStatus.CREATED);
    }
}
