package io.carebus.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class UnmatchedResourceTypesTest {

    @Test
    void criteriaOnOneTypeMatchOnlyThatType() {
        UnmatchedResourceTypes.Subscribed s = UnmatchedResourceTypes.of(
                List.of("Observation?code=http://loinc.org|2345-7", "Encounter", "Observation?status=final"));
        assertThat(s.everyType()).isFalse();
        assertThat(s.types()).isEqualTo(Set.of("Observation", "Encounter"));
        assertThat(s.matches("Patient")).isFalse();
    }

    @Test
    void topicMultiTypeOrUnreadableCriteriaMatchEveryType() {
        assertThat(UnmatchedResourceTypes.of(List.of("Observation?code=x",
                "http://carebus.io/fhir/SubscriptionTopic/encounter-start")).everyType()).isTrue();
        assertThat(UnmatchedResourceTypes.of(List.of("[Observation,Condition]?patient=1")).everyType()).isTrue();
        assertThat(UnmatchedResourceTypes.of(List.of("[*]")).everyType()).isTrue();
        assertThat(UnmatchedResourceTypes.of(java.util.Arrays.asList((String) null)).everyType()).isTrue();
    }

    @Test
    void noSubscriptionMatchesNothingButUntilTheFirstReadEverythingIs() {
        assertThat(UnmatchedResourceTypes.of(List.of()).matches("Observation")).isFalse();
        assertThat(UnmatchedResourceTypes.Subscribed.UNKNOWN.matches("Observation")).isTrue();
    }
}
