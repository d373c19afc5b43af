package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

class SmartAccessTest {

    @Test
    void fromAnAccessToken() {
        Jwt jwt = Jwt.withTokenValue("t").header("alg", "RS256").subject("pat").claim("client_id", "app")
                .claim("scope", "launch/patient patient/Observation.rs").claim("patient", "p1")
                .claim("fhirUser", "Patient/p1").issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(60)).build();
        SmartAccess access = SmartAccess.of(new JwtAuthenticationToken(jwt, List.of())).orElseThrow();
        assertThat(access.clientId()).isEqualTo("app");
        assertThat(access.subject()).isEqualTo("pat");
        assertThat(access.patientId()).isEqualTo("p1");
        assertThat(access.fhirUser()).isEqualTo("Patient/p1");
        assertThat(access.operator()).isFalse();
        assertThat(access.permits(ScopeContext.PATIENT, "Observation", Permission.SEARCH)).isTrue();
        assertThat(access.permits(ScopeContext.PATIENT, "Observation", Permission.CREATE)).isFalse();
    }

    @Test
    void engineerIsAnOperatorWithUserStarCruds() {
        SmartAccess access = SmartAccess.of(UsernamePasswordAuthenticationToken.authenticated("engineer", null,
                List.of(new SimpleGrantedAuthority("ROLE_ENGINEER")))).orElseThrow();
        assertThat(access.operator()).isTrue();
        assertThat(access.permits(ScopeContext.USER, "Patient", Permission.DELETE)).isTrue();
        assertThat(access.hasPatient()).isFalse();
    }

    @Test
    void analystHasNoFhirAccess() {
        assertThat(SmartAccess.of(UsernamePasswordAuthenticationToken.authenticated("analyst", null,
                List.of(new SimpleGrantedAuthority("ROLE_ANALYST"))))).isEmpty();
        assertThat(SmartAccess.of(null)).isEmpty();
    }
}
