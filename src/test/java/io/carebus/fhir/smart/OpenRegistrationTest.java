package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/** The registration policy when open registration is switched on: anyone, but only within open-scopes. */
class OpenRegistrationTest {

    private final SmartClientRegistry registry = mock(SmartClientRegistry.class);

    private RegistrationEndpoint endpoint(boolean open) {
        SmartProperties properties = new SmartProperties();
        properties.getRegistration().setOpen(open);
        return new RegistrationEndpoint(registry, properties, new ObjectMapper());
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
