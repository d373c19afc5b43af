package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.jpa.searchparam.matcher.AuthorizationSearchParamMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMART scope enforcement on the FHIR server: every interaction, search and bulk request, bulk export ownership. */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
public class SmartFhirServerConfig {

    @Bean
    FhirServerCustomizer smartScopeEnforcement(SmartUrls urls, SearchParamMatcher searchParamMatcher,
            IJobCoordinator jobCoordinator) {
        return server -> {
            server.registerInterceptor(new SmartSearchNarrowingInterceptor());
            server.registerInterceptor(new SmartPermissionInterceptor());
            SmartAuthorizationInterceptor authorization = new SmartAuthorizationInterceptor();
            // evaluates the query of v2 query-narrowed scopes against resources, in memory
            authorization.setAuthorizationSearchParamMatcher(new AuthorizationSearchParamMatcher(searchParamMatcher));
            server.registerInterceptor(authorization);
            server.registerInterceptor(new SubscriptionEventsFocusCheck());
            // bulk export jobs and their files belong to the client that kicked them off
            server.registerInterceptor(new BulkExportOwner(jobCoordinator));
            server.registerInterceptor(new ExportFileAccess(server.getFhirContext()));
            server.registerInterceptor(new SmartCapabilityStatementInterceptor(urls));
        };
    }
}
