package io.carebus.fhir.subscription;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ca.uhn.fhir.jpa.topic.R4SubscriptionTopicBuilder;
import org.hl7.fhir.r4.model.Basic;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The subscription topics Carebus offers, one YAML file each under {@code mappings/fhir-topics/} (the working
 * tree's {@code carebus.mappings.dir}, else the copy in the jar), made into the R4 form HAPI reads: a
 * {@code Basic} carrying the R5 SubscriptionTopic as cross-version extensions (Subscriptions R5 Backport IG,
 * "Defining topics in R4").
 * <p>
 * A trigger's {@code previous} and {@code current} are search criteria on the resource before and after the
 * change; both must hold (HAPI counts an absent criterion as a match, so a trigger without {@code previous} is
 * decided by {@code current} alone). A create has no previous version: a "changes to X" topic lists a create
 * trigger with {@code current} only and an update trigger with both.
 */
public final class SubscriptionTopicDefinitions {

    static final String FOLDER = "fhir-topics";

    private SubscriptionTopicDefinitions() {
    }

    /** The topics of {@code <mappingsDir>/fhir-topics/*.yaml}, or the jar's when that folder does not exist. */
    public static List<Basic> load(Path mappingsDir) {
        List<Basic> topics = new ArrayList<>();
        Path dir = mappingsDir.resolve(FOLDER);
        try {
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                        try (InputStream in = Files.newInputStream(file)) {
                            topics.add(topic(id(file.getFileName().toString()), in));
                        }
                    }
                }
            } else {
                for (Resource r : new PathMatchingResourcePatternResolver()
                        .getResources("classpath*:mappings/" + FOLDER + "/*.yaml")) {
                    try (InputStream in = r.getInputStream()) {
                        topics.add(topic(id(r.getFilename()), in));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the subscription topics under " + dir, e);
        }
        return topics;
    }

    /** {@code encounter-start.yaml} → {@code carebus-topic-encounter-start}, the Basic's id. */
    static String id(String fileName) {
        return "carebus-topic-" + fileName.substring(0, fileName.length() - ".yaml".length());
    }

    @SuppressWarnings("unchecked")
    static Basic topic(String id, InputStream yaml) {
        Map<String, Object> doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        R4SubscriptionTopicBuilder builder = new R4SubscriptionTopicBuilder()
                .setId(id)
                .setUrl(required(doc, "url", id))
                .setName((String) doc.get("name"))
                .setTitle((String) doc.get("title"))
                .setDescription((String) doc.get("description"))
                .setStatus(PublicationStatus.ACTIVE);
        for (Map<String, Object> trigger : (List<Map<String, Object>>) doc.getOrDefault("triggers", List.of())) {
            builder.addResourceTrigger().setResourceTriggerResource(required(trigger, "resource", id));
            for (Object interaction : (List<Object>) trigger.getOrDefault("interactions", List.of())) {
                builder.addResourceTriggerSupportedInteraction(String.valueOf(interaction).toLowerCase());
            }
            if (trigger.containsKey("previous") || trigger.containsKey("current")) {
                builder.addResourceTriggerQueryCriteria();
                if (trigger.get("previous") != null) {
                    builder.setResourceTriggerQueryCriteriaPrevious((String) trigger.get("previous"));
                }
                if (trigger.get("current") != null) {
                    builder.setResourceTriggerQueryCriteriaCurrent((String) trigger.get("current"));
                }
                builder.setResourceTriggerQueryCriteriaRequireBoth(true);
            }
            if (trigger.get("fhirPath") != null) {
                builder.setResourceTriggerFhirPathCriteria((String) trigger.get("fhirPath"));
            }
        }
        for (Map<String, Object> filter : (List<Map<String, Object>>) doc.getOrDefault("filters", List.of())) {
            builder.addCanFilterBy()
                    .setCanFilterByResource(required(filter, "resource", id))
                    .setCanFilterByParameter(required(filter, "parameter", id));
        }
        if (doc.get("shape") != null) {
            builder.addNotificationShape().setNotificationShapeResource((String) doc.get("shape"));
        }
        return builder.build();
    }

    private static String required(Map<String, Object> map, String key, String topic) {
        Object value = map.get(key);
        if (value == null) {
            throw new IllegalArgumentException("Subscription topic " + topic + ": '" + key + "' is required");
        }
        return String.valueOf(value);
    }
}
