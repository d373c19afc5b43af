package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.HierarchicalObjectRepository;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * config/broker.xml, the settings to merge into an external Artemis broker, read by Artemis's own parser and
 * matched as the broker matches them: every queue of the engine's default configuration has its DLQ.&lt;queue&gt;.
 */
class BrokerConfigFileTest {

    @Test
    void everyQueueOfTheDefaultConfigurationHasItsDeadLetterQueue() throws Exception {
        FileConfiguration broker = new FileConfiguration();
        new FileDeploymentManager(Path.of("config/broker.xml").toUri().toString()).addDeployable(broker)
                .readConfiguration();
        HierarchicalObjectRepository<AddressSettings> settings =
                new HierarchicalObjectRepository<>(broker.getWildcardConfiguration());
        settings.setDefault(new AddressSettings());
        broker.getAddressSettings().forEach(settings::addMatch);
        Map<String, CoreAddressConfiguration> addresses = broker.getAddressConfigurations().stream()
                .collect(Collectors.toMap(CoreAddressConfiguration::getName, Function.identity()));

        StandardEnvironment environment = engineEnvironment();
        CarebusProperties properties = Binder.get(environment).bind("carebus", CarebusProperties.class).get();
        List<String> queues = engineQueues(environment, properties);
        java.util.Set<String> consumerBackOff = BrokerConfig.consumerBackOffQueues(properties);
        // every queue whose messages carry the patient as message group is read with stage:, whatever the destination
        assertThat(consumerBackOff).contains("carebus.ingress.hl7v2", "carebus.canonical", "carebus.out.downstream",
                "carebus.out.events", "carebus.out.fhir-server", "carebus.out.fhir-events")
                .doesNotContain("carebus.ingress.x12", "carebus.subscription.notify");
        assertThat(queues).contains("carebus.ingress.hl7v2", "carebus.ingress.x12", "carebus.canonical",
                "carebus.subscription.notify", "carebus.out.downstream", "carebus.out.events",
                "carebus.out.fhir-server", "carebus.out.fhir-events");
        for (String queue : queues) {
            AddressSettings setting = settings.getMatch(queue);
            String dlq = BrokerConfig.DLQ_PREFIX + queue;
            assertThat(String.valueOf(setting.getDeadLetterAddress())).as("dead-letter-address of " + queue)
                    .isEqualTo(dlq);
            // the engine dead-letters on its own last attempt (10 by default); the broker's limit is a backstop
            assertThat(setting.getMaxDeliveryAttempts()).as("max-delivery-attempts of " + queue).isEqualTo(11);
            // a stage: queue's consumer holds a failed message for its back-off, keeping the patient's order; the broker
            // must hand it back at once
            assertThat(setting.getRedeliveryDelay()).as("redelivery-delay of " + queue)
                    .isEqualTo(consumerBackOff.contains(queue) ? 0 : 1000);
            for (String name : List.of(queue, dlq)) {
                assertThat(addresses).as("address " + name).containsKey(name);
                assertThat(addresses.get(name).getQueueConfigs()).as("queue " + name).singleElement()
                        .satisfies(q -> {
                            assertThat(q.getName().toString()).isEqualTo(name);
                            assertThat(q.getRoutingType()).isEqualTo(RoutingType.ANYCAST);
                        });
            }
        }
    }

    /** config/application.yaml and config/routing.yaml, as the engine reads them at start-up. */
    private static StandardEnvironment engineEnvironment() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader yaml = new YamlPropertySourceLoader();
        for (String file : List.of("config/application.yaml", "config/routing.yaml")) {
            yaml.load(file, new FileSystemResource(file)).forEach(environment.getPropertySources()::addLast);
        }
        new StageConsumersDefault().postProcessEnvironment(environment, null);      // "auto", as at start-up
        return environment;
    }

    /** The queues of that configuration, as the engine names them. */
    private static List<String> engineQueues(StandardEnvironment environment, CarebusProperties properties) {
        List<String> queues = new ArrayList<>(BrokerConfig.stageQueues(properties,
                environment.getRequiredProperty("carebus.x12.ingress-queue")));
        queues.add(environment.getRequiredProperty("carebus.fhir.subscriptions.queue"));
        return queues;
    }
}
