package io.carebus.config;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When {@code carebus.mllp.tls.enabled} is true, points the MLLP listener's {@code sslContextParameters} option
 * at the {@code mllpSslContext} bean; otherwise the option is left out of the endpoint URI.
 */
public class MllpTlsEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (Boolean.parseBoolean(environment.getProperty("carebus.mllp.tls.enabled", "false"))) {
            environment.getPropertySources().addLast(new MapPropertySource("carebus-mllp-tls",
                    Map.of("carebus.mllp.ssl-context-ref", "#mllpSslContext")));
        }
    }
}
