package io.carebus.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class StageConsumersDefaultTest {

    private final StageConsumersDefault postProcessor = new StageConsumersDefault();

    @Test
    void autoBecomesOneConsumerForEveryTwoCoresAndAtLeastOne() {
        assertThat(StageConsumersDefault.forCores(1)).isEqualTo(1);
        assertThat(StageConsumersDefault.forCores(2)).isEqualTo(1);
        assertThat(StageConsumersDefault.forCores(3)).isEqualTo(1);
        assertThat(StageConsumersDefault.forCores(8)).isEqualTo(4);

        StandardEnvironment environment = environmentWith("auto");
        postProcessor.postProcessEnvironment(environment, null);
        assertThat(environment.getProperty(StageConsumersDefault.PROPERTY, Integer.class))
                .isEqualTo(StageConsumersDefault.forCores(Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aMissingValueIsAuto() {
        StandardEnvironment environment = new StandardEnvironment();
        postProcessor.postProcessEnvironment(environment, null);
        assertThat(environment.getProperty(StageConsumersDefault.PROPERTY))
                .isEqualTo(Integer.toString(StageConsumersDefault.forCores(Runtime.getRuntime().availableProcessors())));
    }

    @Test
    void aConfiguredNumberIsKept() {
        StandardEnvironment environment = environmentWith("6");
        postProcessor.postProcessEnvironment(environment, null);
        assertThat(environment.getProperty(StageConsumersDefault.PROPERTY)).isEqualTo("6");
    }

    private static StandardEnvironment environmentWith(String value) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test",
                Map.of(StageConsumersDefault.PROPERTY, value)));
        return environment;
    }
}
