package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import ca.uhn.fhir.jpa.searchparam.matcher.AuthorizationSearchParamMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMART scope enforcement on the FHIR server: every interaction, search and bulk request. */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
public class SmartFhirServerConfig {

    @Bean
    FhirServerCustomizer smartScopeEnforcement(SmartUrls urls, SearchParamMatcher searchParamMatcher) {
        return server -> {
            server.registerInterceptor(new SmartSearchNarrowingInterceptor());
            server.registerInterceptor(new SmartPermissionInterceptor());
            SmartAuthorizationInterceptor authorization = new SmartAuthorizationInterceptor();
            // evaluates the query of v2 query-narrowed scopes against resources, in memory
            authorization.setAuthorizationSearchParamMatcher(new AuthorizationSearchParamMatcher(searchParamMatcher));
            server.registerInterceptor(authorization);
            server.registerInterceptor(new SubscriptionEventsFocusCheck());
            server.registerInterceptor(new SmartCapabilityStatementInterceptor(urls));
        };
    }
}
