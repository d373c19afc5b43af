package io.carebus.fhir.validation;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.List;
import java.util.Random;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.validation.IInstanceValidatorModule;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

/**
 * US Core 6.1.0 validation for the FHIR server: one warm validator shared by the write path, {@code $validate}
 * (the JPA DAOs look up the {@link IInstanceValidatorModule} bean by type: this one is primary) and the
 * CapabilityStatement.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UsCoreValidationProperties.class)
public class UsCoreValidationConfig {

    private static final Logger log = LoggerFactory.getLogger(UsCoreValidationConfig.class);

    @Bean
    UsCoreValidator usCoreValidator(FhirContext fhirContext, UsCoreValidationProperties properties) {
        long t0 = System.nanoTime();
        UsCoreValidator validator = new UsCoreValidator(fhirContext);
        log.info("US Core 6.1.0 validation: {} resource types with profiles, built in {} ms",
                validator.profilesByType().size(), (System.nanoTime() - t0) / 1_000_000);
        if (properties.isWarmUp()) {
            Thread warmUp = new Thread(() -> {
                Random random = new Random(0);
                long ms = validator.warmUp(List.of(UsCoreSamples.patient(random),
                        UsCoreSamples.observation(random, "Patient/warm-up"),
                        UsCoreSamples.encounter(random, "Patient/warm-up")));
                log.info("US Core validation warm: profiles loaded, a sample Patient, Observation and Encounter"
                        + " validated in {} ms",
                        ms);
            }, "us-core-warm-up");
            warmUp.setDaemon(true);
            warmUp.start();
        }
        return validator;
    }

    @Bean
    @Primary
    IInstanceValidatorModule usCoreInstanceValidator(UsCoreValidator validator) {
        return validator.module();
    }

    @Bean
    UsCoreWriteValidator usCoreWriteValidator(UsCoreValidator validator, UsCoreValidationProperties properties,
            IInterceptorService interceptors) {
        UsCoreWriteValidator writeValidator = new UsCoreWriteValidator(validator, properties);
        if (properties.isEnabled()) {
            interceptors.registerInterceptor(writeValidator);
            log.info("Validation on write ({} mode): {}", properties.getMode(), properties.getResourceTypes());
        }
        return writeValidator;
    }

    @Bean
    FhirServerCustomizer usCoreCapabilityStatement(UsCoreValidator validator,
            UsCoreValidationProperties properties) {
        return server -> server.registerInterceptor(new UsCoreCapabilityStatement(validator, properties));
    }
}
