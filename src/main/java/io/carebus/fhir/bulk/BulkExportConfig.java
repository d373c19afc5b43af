package io.carebus.fhir.bulk;

import io.carebus.fhir.ConditionalOnFhirServer;
import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.jobs.export.BulkDataExportProvider;
import ca.uhn.fhir.batch2.maintenance.JobMaintenanceServiceImpl;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import io.carebus.fhir.server.FhirServerCustomizer;
import org.hl7.fhir.r4.model.Binary;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * FHIR Bulk Data $export on the FHIR server: HAPI's {@link BulkDataExportProvider} (system, Patient and Group
 * level kick-off, {@code $export-poll-status}, DELETE to cancel), run as a HAPI batch job whose NDJSON files are
 * stored as {@code Binary} resources, served at {@code /fhir/Binary/<id>} behind the same access rules as the rest
 * of {@code /fhir}.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(BulkExportProperties.class)
public class BulkExportConfig {

    /** No export's parameters (search values, patients) in HAPI's job log above DEBUG. */
    @Bean(destroyMethod = "uninstall")
    HapiJobLogRedaction hapiJobLogRedaction() {
        return HapiJobLogRedaction.install();
    }

    /** Bulk export settings on HAPI's storage settings, before anything reads them. */
    @Bean
    static BeanPostProcessor bulkExportStorageSettings(Environment environment,
            ObjectProvider<FhirContext> fhirContext) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof JpaStorageSettings settings) {
                    BulkExportProperties properties = properties(environment);
                    settings.setEnableTaskBulkExportJobExecution(properties.isEnabled());
                    settings.setBulkExportFileRetentionPeriodHours(properties.getFileRetentionHours());
                    settings.setBulkExportFileMaximumCapacity(properties.getMaxResourcesPerFile());
                    // Every kick-off is a new export (IG: the client asks for the data as of now), never the
                    // answer of an earlier identical request.
                    settings.setEnableBulkExportJobReuse(false);
                } else if (bean instanceof JobMaintenanceServiceImpl maintenance) {
                    maintenance.setScheduledJobFrequencyMillis(properties(environment).getMaintenanceIntervalMs());
                }
                return bean;
            }

            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof IBulkExportProcessor processor && properties(environment).isEnabled()) {
                    return new PatientLevelExportQueries(processor, fhirContext.getObject());
                }
                return bean;
            }
        };
    }

    /** Registered with HAPI's storage interceptors: the export job calls its hook, not the REST server. */
    @Bean
    PatientCompartmentExportFilter patientCompartmentExportFilter(BulkExportProperties properties,
            FhirContext fhirContext, IInterceptorService interceptors) {
        PatientCompartmentExportFilter filter = new PatientCompartmentExportFilter(fhirContext);
        if (properties.isEnabled()) {
            interceptors.registerInterceptor(filter);
        }
        return filter;
    }

    private static BulkExportProperties properties(Environment environment) {
        return org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bindOrCreate("carebus.fhir.bulk", BulkExportProperties.class);
    }

    @Bean
    FhirServerCustomizer bulkExportProvider(BulkExportProperties properties,
            ObjectProvider<BulkDataExportProvider> provider, IJobCoordinator jobCoordinator,
            DaoRegistry daoRegistry) {
        return server -> {
            if (properties.isEnabled()) {
                server.registerProvider(provider.getObject());
                server.registerInterceptor(new BulkExportKickOffParameters());
                server.registerInterceptor(new BinaryAsNdjsonInterceptor());
                server.registerInterceptor(new BulkExportStatusInterceptor(jobCoordinator,
                        daoRegistry.getResourceDao(Binary.class), properties.getRetryAfterSeconds()));
            }
        };
    }
}
