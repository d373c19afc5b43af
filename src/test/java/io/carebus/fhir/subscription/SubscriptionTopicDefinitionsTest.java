package io.carebus.fhir.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hapi.converters.canonical.VersionCanonicalizer;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r5.model.SubscriptionTopic;
import org.junit.jupiter.api.Test;

/** The topic files of mappings/fhir-topics, read the way HAPI reads an R4 topic (Basic → R5 SubscriptionTopic). */
class SubscriptionTopicDefinitionsTest {

    private static final VersionCanonicalizer CANONICALIZER = new VersionCanonicalizer(FhirContext.forR4Cached());

    private static SubscriptionTopic topic(List<Basic> topics, String name) {
        Basic basic = topics.stream().filter(b -> b.getIdElement().getIdPart().equals("carebus-topic-" + name))
                .findFirst().orElseThrow();
        return CANONICALIZER.subscriptionTopicToCanonical(basic);
    }

    @Test
    void theFourTopicsAreReadFromTheMappingsFolder() {
        List<Basic> topics = SubscriptionTopicDefinitions.load(Path.of("mappings"));
        assertThat(topics).extracting(b -> b.getIdElement().getIdPart()).containsExactlyInAnyOrder(
                "carebus-topic-claim-response", "carebus-topic-encounter-end", "carebus-topic-encounter-start",
                "carebus-topic-lab-result");

        SubscriptionTopic start = topic(topics, "encounter-start");
        assertThat(start.getUrl()).isEqualTo("http://carebus.io/fhir/SubscriptionTopic/encounter-start");
        assertThat(start.getResourceTrigger()).hasSize(2);
        SubscriptionTopic.SubscriptionTopicResourceTriggerComponent update = start.getResourceTrigger().get(1);
        assertThat(update.getSupportedInteraction()).extracting(i -> i.getValue().toCode()).containsExactly("update");
        assertThat(update.getQueryCriteria().getPrevious()).doesNotContain("in-progress");
        assertThat(update.getQueryCriteria().getCurrent()).isEqualTo("Encounter?status=in-progress");
        assertThat(update.getQueryCriteria().getRequireBoth()).isTrue();
        assertThat(start.getCanFilterBy()).extracting(SubscriptionTopic.SubscriptionTopicCanFilterByComponent::getFilterParameter)
                .contains("patient");

        SubscriptionTopic lab = topic(topics, "lab-result");
        assertThat(lab.getResourceTriggerFirstRep().getResource()).endsWith("Observation");
        assertThat(lab.getResourceTriggerFirstRep().getSupportedInteraction()).hasSize(2);
        assertThat(lab.getResourceTriggerFirstRep().getQueryCriteria().getCurrent()).endsWith("|laboratory");

        SubscriptionTopic claims = topic(topics, "claim-response");
        assertThat(claims.getResourceTriggerFirstRep().getSupportedInteraction())
                .extracting(i -> i.getValue().toCode()).containsExactly("create");
    }

    @Test
    void aTopicWithoutUrlIsRefusedWithItsName() {
        String yaml = "title: no url\ntriggers:\n  - resource: Encounter\n    interactions: [ create ]\n";
        assertThatThrownBy(() -> SubscriptionTopicDefinitions.topic("carebus-topic-broken",
                new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("carebus-topic-broken").hasMessageContaining("url");
    }
}
