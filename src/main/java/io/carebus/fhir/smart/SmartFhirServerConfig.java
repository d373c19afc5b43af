package io.carebus.fhir.smart;

import io.carebus.fhir.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMART scope enforcement on the FHIR server: every interaction, search and bulk request. */
@Configuration(proxyBeanMethods = false)
public class SmartFhirServerConfig {

    @Bean
    FhirServerCustomizer smartScopeEnforcement(SmartUrls urls) {
        return server -> {
            server.registerInterceptor(new SmartSearchNarrowingInterceptor());
            server.registerInterceptor(new SmartPermissionInterceptor());
            server.registerInterceptor(new SmartAuthorizationInterceptor());
            server.registerInterceptor(new SmartCapabilityStatementInterceptor(urls));
        };
    }
}
