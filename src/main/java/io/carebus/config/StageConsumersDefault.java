package io.carebus.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code carebus.queues.stage-consumers: auto} (the default): one consumer thread per stage for every two cores,
 * at least one. The routes read the value as a Camel property placeholder, so it is resolved here, once, into a
 * number. More consumers than cores only adds thread hand-offs and smaller batches: on two cores, four consumers
 * per stage delivered fewer messages per second than one (bench/run mllp-e2e).
 */
public class StageConsumersDefault implements EnvironmentPostProcessor {

    static final String PROPERTY = "carebus.queues.stage-consumers";
    static final String AUTO = "auto";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String configured = environment.getProperty(PROPERTY);
        if (configured == null || configured.isBlank() || AUTO.equalsIgnoreCase(configured.trim())) {
            environment.getPropertySources().addFirst(new MapPropertySource("carebusStageConsumers",
                    Map.of(PROPERTY, Integer.toString(forCores(Runtime.getRuntime().availableProcessors())))));
        }
    }

    static int forCores(int cores) {
        return Math.max(1, cores / 2);
    }
}
