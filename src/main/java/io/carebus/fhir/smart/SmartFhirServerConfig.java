package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.searchparam.matcher.AuthorizationSearchParamMatcher;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.jpa.search.cache.ISearchCacheSvc;
import ca.uhn.fhir.jpa.topic.SubscriptionTopicRegistry;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** SMART scope enforcement on the FHIR server: every interaction, search and bulk request, bulk export ownership. */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
public class SmartFhirServerConfig {

    /** Registered with HAPI's storage interceptors: the bulk export job calls its hook, not the REST server. */
    @Bean
    AuditTrailAccess.ExportFilter auditTrailExportFilter(IInterceptorService interceptors) {
        AuditTrailAccess.ExportFilter filter = new AuditTrailAccess.ExportFilter();
        interceptors.registerInterceptor(filter);
        return filter;
    }

    @Bean
    FhirServerCustomizer smartScopeEnforcement(SmartUrls urls, SearchParamMatcher searchParamMatcher,
            IJobCoordinator jobCoordinator, ObjectProvider<SubscriptionTopicRegistry> topicRegistry,
            ISearchCacheSvc searchCache) {
        return server -> {
            server.registerInterceptor(new SmartSearchNarrowingInterceptor());
            server.registerInterceptor(new SmartPermissionInterceptor());
            // v2 query-narrowed scopes: their query added to the token's searches, results filtered otherwise
            server.registerInterceptor(new ScopeQuerySearchNarrowing(searchParamMatcher));
            // the pages of a saved search are its searcher's, with the permission the search needed
            server.registerInterceptor(new SavedSearchOwner(searchCache));
            SmartAuthorizationInterceptor authorization = new SmartAuthorizationInterceptor();
            // evaluates the query of v2 query-narrowed scopes against resources, in memory
            authorization.setAuthorizationSearchParamMatcher(new AuthorizationSearchParamMatcher(searchParamMatcher));
            server.registerInterceptor(authorization);
            // what _include brings and $everything holds beyond the scopes is left out, not a refusal of the answer
            server.registerInterceptor(new ResultsOutsideScopesFilter(authorization));
            server.registerInterceptor(new SubscriptionEventsFocusCheck());
            // the audit trail is the auditors' (/api/audit/events): no SMART scope reaches it
            server.registerInterceptor(new AuditTrailAccess());
            // bulk export jobs and their files belong to the client that kicked them off
            server.registerInterceptor(new BulkExportOwner(jobCoordinator));
            server.registerInterceptor(new ExportFileAccess(server.getFhirContext()));
            // without HAPI's topic registry no topic is known, and SMART tokens cannot subscribe to topics
            SubscriptionTopicRegistry topics = topicRegistry.getIfAvailable();
            server.registerInterceptor(new SubscriptionReadScopeCheck(url -> topics == null ? Optional.empty()
                    : topics.findSubscriptionTopicByUrl(url)));
            server.registerInterceptor(new SmartCapabilityStatementInterceptor(urls));
        };
    }
}
