package io.carebus.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;

/** The user and the OAuth2 client an AuditEvent names, from Spring Security's authentication. */
class AuditIdentitiesTest {

    final AuditIdentities identities = new AuditIdentities();

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aBearerTokenNamesItsSubjectAndItsClientId() {
        SecurityContextHolder.getContext().setAuthentication(new TokenAuthentication(
                Map.of("sub", "dr-who", "client_id", "growth-chart-app", "patient", "123")));

        assertThat(identities.getAgentUserWho(null).getIdentifier().getValue()).isEqualTo("dr-who");
        assertThat(identities.getAgentClientWho(null).getIdentifier().getSystem())
                .isEqualTo(AuditIdentities.CLIENT_SYSTEM);
        assertThat(identities.getAgentClientWho(null).getIdentifier().getValue()).isEqualTo("growth-chart-app");
    }

    @Test
    void aBasicAuthUserHasNoClient() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "engineer", null, List.of(new SimpleGrantedAuthority("ROLE_ENGINEER"))));

        assertThat(identities.getAgentUserWho(null).getIdentifier().getValue()).isEqualTo("engineer");
        assertThat(identities.getAgentClientWho(null).getIdentifier().hasValue()).isFalse();
    }

    @Test
    void noAuthenticationIsAnonymous() {
        assertThat(identities.getAgentUserWho(null).getIdentifier().getValue()).isEqualTo("anonymous");
    }

    /** Shaped like Spring Security's JwtAuthenticationToken: a name and {@code getTokenAttributes()}. */
    public static class TokenAuthentication extends AbstractAuthenticationToken {

        private final Map<String, Object> claims;

        TokenAuthentication(Map<String, Object> claims) {
            super(List.of());
            this.claims = claims;
            setAuthenticated(true);
        }

        public Map<String, Object> getTokenAttributes() {
            return claims;
        }

        @Override
        public String getName() {
            return (String) claims.get("sub");
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return claims.get("sub");
        }
    }
}
