package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SmartScopesTest {

    @Test
    void v1ReadIsReadAndSearch() {
        SmartScope scope = SmartScope.parse("patient/Observation.read").orElseThrow();
        assertThat(scope.context()).isEqualTo(ScopeContext.PATIENT);
        assertThat(scope.resourceType()).isEqualTo("Observation");
        assertThat(scope.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(scope.isV1()).isTrue();
    }

    @Test
    void v1WriteAndStar() {
        assertThat(SmartScope.parse("user/Patient.write").orElseThrow().permissions())
                .containsExactlyInAnyOrder(Permission.CREATE, Permission.UPDATE, Permission.DELETE);
        assertThat(SmartScope.parse("system/*.*").orElseThrow().permissions()).containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void v2Letters() {
        SmartScope scope = SmartScope.parse("patient/Observation.rs").orElseThrow();
        assertThat(scope.permissions()).containsExactlyInAnyOrder(Permission.READ, Permission.SEARCH);
        assertThat(scope.isV1()).isFalse();
        assertThat(SmartScope.parse("user/*.cruds").orElseThrow().permissions()).containsExactlyInAnyOrder(Permission.values());
    }

    @Test
    void v2LettersOutOfOrderOrRepeatedAreRefused() {
        assertThat(SmartScope.parse("patient/Observation.sr")).isEmpty();
        assertThat(SmartScope.parse("patient/Observation.rrs")).isEmpty();
        assertThat(SmartScope.parse("patient/Observation.x")).isEmpty();
        assertThat(SmartScope.parse("doctor/Observation.rs")).isEmpty();
        assertThat(SmartScope.parse("patient/observation.rs")).isEmpty();
        assertThat(SmartScope.parse("launch/patient")).isEmpty();
    }

    @Test
    void v2QueryNarrowingIsParsed() {
        SmartScope scope = SmartScope.parse("patient/Observation.rs?category=laboratory&code=a%7Cb").orElseThrow();
        assertThat(scope.query()).isEqualTo(Map.of("category", List.of("laboratory"), "code", List.of("a|b")));
        assertThat(SmartScope.parse("patient/Observation.read?category=laboratory")).isEmpty();   // v1 has no query
    }

    @Test
    void permitsByContextTypeAndPermission() {
        SmartScopes scopes = SmartScopes.parse("launch/patient patient/Observation.rs system/Patient.rs offline_access");
        assertThat(scopes.permits(ScopeContext.PATIENT, "Observation", Permission.READ)).isTrue();
        assertThat(scopes.permits(ScopeContext.PATIENT, "Observation", Permission.CREATE)).isFalse();
        assertThat(scopes.permits(ScopeContext.PATIENT, "Patient", Permission.READ)).isFalse();
        assertThat(scopes.permits(ScopeContext.SYSTEM, "Patient", Permission.SEARCH)).isTrue();
        assertThat(scopes.permits(ScopeContext.SYSTEM, "Observation", Permission.SEARCH)).isFalse();
        assertThat(scopes.contains(SmartScopes.OFFLINE_ACCESS)).isTrue();
        assertThat(scopes.resourceScopes()).hasSize(2);
        assertThat(SmartScopes.parse("user/*.cruds").permits(ScopeContext.USER, "Encounter", Permission.DELETE)).isTrue();
    }

    @Test
    void registeredScopesAllowNarrowerRequests() {
        SmartScopes registered = SmartScopes.parse("system/*.rs patient/Observation.cruds launch/patient");
        assertThat(registered.allows("system/Patient.rs")).isTrue();
        assertThat(registered.allows("system/Patient.read")).isTrue();
        assertThat(registered.allows("system/Patient.cruds")).isFalse();
        assertThat(registered.allows("patient/Observation.rs?category=laboratory")).isTrue();
        assertThat(registered.allows("user/Observation.rs")).isFalse();
        assertThat(registered.allows("launch/patient")).isTrue();
        assertThat(registered.allows("offline_access")).isFalse();
        assertThat(SmartScopes.parse("patient/Observation.rs?category=laboratory").allows("patient/Observation.rs")).isFalse();
    }

    @Test
    void malformedResourceScopesAreReported() {
        assertThat(SmartScopes.parse("patient/Observation.rs patient/Observation.sr openid").malformed())
                .containsExactly("patient/Observation.sr");
    }

    @Test
    void keepsRequestOrderWithoutDuplicates() {
        assertThat(SmartScopes.parse("  b/x  a  b/x ").toString()).isEqualTo("b/x a");
        assertThat(SmartScopes.parse(null).isEmpty()).isTrue();
    }
}
