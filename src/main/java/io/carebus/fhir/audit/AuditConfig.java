package io.carebus.fhir.audit;

import io.carebus.fhir.ConditionalOnFhirServer;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.registry.SearchParamRegistryImpl;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Audit of patient data access on {@code /fhir}: HAPI's IHE BALP (Basic Audit Log Patterns) interceptor records
 * an AuditEvent per read, search, create, update and delete with the patients concerned;
 * {@link DisclosureAuditInterceptor} adds those of history, of operations answering patient data and of bulk
 * export kick-offs; {@link FailedAccessAuditInterceptor} adds one per failed request; both go to {@link QueuedAuditEventSink},
 * which stores them in this server's own store, off the request thread.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AuditProperties.class)
@ConditionalOnProperty(prefix = "carebus.fhir.audit", name = "enabled", matchIfMissing = true)
public class AuditConfig {

    @Bean
    AuditIdentities auditIdentities() {
        return new AuditIdentities();
    }

    @Bean
    QueuedAuditEventSink auditEventSink(DaoRegistry daoRegistry, PlatformTransactionManager transactionManager,
            AuditProperties properties) {
        return new QueuedAuditEventSink(daoRegistry.getResourceDao(AuditEvent.class),
                new TransactionTemplate(transactionManager), properties.getQueueCapacity(), properties.getBatchSize());
    }

    @Bean
    AuditEventSearchParameters auditEventSearchParameters(FhirContext fhirContext, DaoRegistry daoRegistry,
            SearchParamRegistryImpl searchParamRegistry, AuditProperties properties) {
        return new AuditEventSearchParameters(fhirContext, daoRegistry, searchParamRegistry,
                properties.getIndexedSearchParameters());
    }

    @Bean
    FhirServerCustomizer auditInterceptors(QueuedAuditEventSink sink, AuditIdentities identities,
            DaoRegistry daoRegistry) {
        return server -> {
            server.registerInterceptor(new AuditRequestScope(sink));
            server.registerInterceptor(new BalpAuditCaptureInterceptor(sink, identities));
            server.registerInterceptor(new FailedAccessAuditInterceptor(sink, identities));
            server.registerInterceptor(new DisclosureAuditInterceptor(sink, identities, daoRegistry));
            server.registerInterceptor(new AuditEventWriteGuard());
        };
    }
}
