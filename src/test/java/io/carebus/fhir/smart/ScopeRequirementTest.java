package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.Test;

class ScopeRequirementTest {

    private static final String BASE = "http://localhost/fhir";

    @Test
    void bundleEntriesNeedWhatTheSameRequestWould() {
        assertThat(entry(Bundle.HTTPVerb.POST, "Observation").permissions()).containsExactly(Permission.CREATE);
        assertThat(entry(Bundle.HTTPVerb.PUT, "Observation/1").permissions())
                .containsExactlyInAnyOrder(Permission.UPDATE, Permission.CREATE);
        assertThat(entry(Bundle.HTTPVerb.PUT, "Observation?identifier=x").permissions())
                .containsExactlyInAnyOrder(Permission.UPDATE, Permission.CREATE);
        assertThat(entry(Bundle.HTTPVerb.PATCH, "Observation/1").permissions()).containsExactly(Permission.UPDATE);
        assertThat(entry(Bundle.HTTPVerb.DELETE, "Observation?code=x").permissions()).containsExactly(Permission.DELETE);
        assertThat(entry(Bundle.HTTPVerb.GET, "Observation/1").permissions()).containsExactly(Permission.READ);
        assertThat(entry(Bundle.HTTPVerb.GET, "Observation/1/_history/2").permissions()).containsExactly(Permission.READ);
        ScopeRequirement search = entry(Bundle.HTTPVerb.GET, BASE + "/Observation?patient=p1");
        assertThat(search.permissions()).containsExactly(Permission.SEARCH);
        assertThat(search.types()).containsExactly("Observation");
        assertThat(search.isNarrowableSearch()).isTrue();
        assertThat(entry(Bundle.HTTPVerb.GET, "Observation/_history").isNarrowableSearch()).isFalse();
    }

    @Test
    void systemLevelSearchNeedsSearchOnEveryTypeFromAUserOrSystemScope() {
        ScopeRequirement typed = entry(Bundle.HTTPVerb.GET, "?_type=Observation%2CPatient");
        assertThat(typed.types()).containsExactly("Observation", "Patient");
        assertThat(typed.patientScopesCount()).isFalse();
        assertThat(entry(Bundle.HTTPVerb.GET, "_history").types()).containsExactly(SmartScope.ANY_TYPE);
        ScopeRequirement direct = ScopeRequirement.of(RestOperationTypeEnum.SEARCH_SYSTEM, null,
                Map.of("_type", new String[] {"Observation"})).orElseThrow();
        SmartAccess observations = access("system/Observation.rs", null);
        assertThat(direct.isMetBy(observations)).isTrue();
        assertThat(typed.isMetBy(observations)).isFalse();
        assertThat(direct.isMetBy(access("launch/patient patient/Observation.rs", "p1"))).isFalse();
    }

    @Test
    void aPermissionCountsOnlyInTheContextThatMayServeIt() {
        SmartAccess mixed = access("launch/patient patient/Observation.s user/Observation.r", "p1");
        ScopeRequirement search = ScopeRequirement.of(RestOperationTypeEnum.SEARCH_TYPE, "Observation", Map.of())
                .orElseThrow();
        ScopeRequirement history = ScopeRequirement.of(RestOperationTypeEnum.HISTORY_TYPE, "Observation", Map.of())
                .orElseThrow();
        assertThat(search.isMetBy(mixed)).isTrue();
        assertThat(history.isMetBy(mixed)).isFalse();
        // a patient/ scope with no patient in context grants nothing
        assertThat(search.isMetBy(access("patient/Observation.s", null))).isFalse();
        assertThat(ScopeRequirement.of(RestOperationTypeEnum.READ, "Observation", Map.of()).orElseThrow()
                .isMetBy(access("launch/patient patient/Observation.s", "p1"))).isFalse();
    }

    @Test
    void operationsAreLeftToTheAuthorizationRulesAndUnreadableEntriesRefused() {
        assertThat(ScopeRequirement.of(new Bundle.BundleEntryComponent().setRequest(
                new Bundle.BundleEntryRequestComponent().setMethod(Bundle.HTTPVerb.GET).setUrl("Patient/1/$everything")),
                BASE)).isEmpty();
        assertThat(ScopeRequirement.of(RestOperationTypeEnum.EXTENDED_OPERATION_TYPE, "Patient", Map.of())).isEmpty();
        assertThatThrownBy(() -> entry(Bundle.HTTPVerb.POST, "")).isInstanceOf(ForbiddenOperationException.class);
        assertThatThrownBy(() -> entry(Bundle.HTTPVerb.GET, "observation/1"))
                .isInstanceOf(ForbiddenOperationException.class);
    }

    private static ScopeRequirement entry(Bundle.HTTPVerb method, String url) {
        Bundle.BundleEntryComponent entry = new Bundle.BundleEntryComponent().setResource(new Observation());
        entry.getRequest().setMethod(method).setUrl(url);
        return ScopeRequirement.of(entry, BASE).orElseThrow();
    }

    private static SmartAccess access(String scopes, String patient) {
        return new SmartAccess("app", "u", null, patient, SmartScopes.parse(scopes), false);
    }
}
