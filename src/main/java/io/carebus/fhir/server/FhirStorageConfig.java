package io.carebus.fhir.server;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.Properties;

import javax.sql.DataSource;

import ca.uhn.fhir.batch2.jobs.config.Batch2JobsConfig;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.jpa.dao.ThreadPoolFactory;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.r4.JpaR4Config;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.dialect.HapiFhirPostgresDialect;
import ca.uhn.fhir.jpa.model.entity.StorageSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/**
 * HAPI FHIR JPA storage on the engine's PostgreSQL (the embedded one by default): HAPI's own R4 DAOs, search,
 * batch jobs (bulk export) and their tables (HFJ_*, BT2_*), beside the journal's. HAPI's internal channels (batch
 * work-chunk notifications) are its in-memory broker client: the jobs themselves are kept in the database.
 */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FhirServerProperties.class)
@Import({JpaR4Config.class, HapiJpaConfig.class, JpaBatch2Config.class, Batch2JobsConfig.class,
        SubscriptionChannelConfig.class})
public class FhirStorageConfig {

    /** In place of HAPI's ThreadPoolFactoryConfig: batch entries run with the caller's security context. */
    @Bean
    ThreadPoolFactory threadPoolFactory() {
        return new CallerContextThreadPoolFactory();
    }

    @Bean
    JpaStorageSettings storageSettings(FhirServerProperties properties) {
        JpaStorageSettings settings = new JpaStorageSettings();
        settings.setFetchSizeDefaultMaximum(properties.getMaxPageSize());
        settings.setReuseCachedSearchResultsForMillis(
                properties.getReuseCachedSearchResultsMs() > 0 ? properties.getReuseCachedSearchResultsMs() : null);
        // Conditional create/update on business identifiers (the HL7 v2 → FHIR bundles) must find what they wrote
        // a moment ago, not a cached search.
        settings.setAllowMultipleDelete(true);
        settings.setAllowExternalReferences(true);
        settings.setEnforceReferentialIntegrityOnDelete(true);
        // No "missing fields" index: it writes a row for each search parameter a resource does not use (about thirty
        // for an Observation), a third of the write path's CPU. HAPI 8.6 answers :missing searches without it (by the
        // absence of index rows; FhirServerRestTest); Patient-level bulk export, which HAPI refuses without it, is
        // run another way (PatientLevelExportQueries).
        settings.setIndexMissingFields(StorageSettings.IndexEnabledEnum.DISABLED);
        if (!properties.getBaseUrl().isBlank()) {
            settings.getTreatBaseUrlsAsLocal().add(properties.getBaseUrl());
        }
        return settings;
    }

    @Bean
    @ConditionalOnProperty(prefix = "carebus.fhir", name = "synchronous-search", matchIfMissing = true)
    SynchronousSearchInterceptor synchronousSearchInterceptor(IInterceptorService interceptors,
            FhirServerProperties properties) {
        SynchronousSearchInterceptor interceptor = new SynchronousSearchInterceptor(properties.getDefaultPageSize());
        interceptors.registerInterceptor(interceptor);
        return interceptor;
    }

    /**
     * HAPI's {@code persistedJpaBundleProviderFactory} (JpaConfig) as {@link PinnedHistoryBundleProviderFactory}:
     * history pages of the first page's moment. Its fields are autowired as HAPI's are.
     */
    @Bean
    static org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor pinnedHistoryPaging() {
        return registry -> {
            String name = "persistedJpaBundleProviderFactory";
            if (registry.containsBeanDefinition(name)) {
                registry.removeBeanDefinition(name);
            }
            registry.registerBeanDefinition(name, new org.springframework.beans.factory.support.RootBeanDefinition(
                    PinnedHistoryBundleProviderFactory.class));
        };
    }

    /** One partition: the engine serves one organisation's data. */
    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource,
            ConfigurableListableBeanFactory beanFactory, FhirContext fhirContext, JpaStorageSettings settings,
            FhirServerProperties properties) {
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, settings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        Properties jpa = new Properties();
        jpa.put("hibernate.dialect", HapiFhirPostgresDialect.class.getName());
        jpa.put("hibernate.hbm2ddl.auto", properties.getSchemaUpdate());
        jpa.put("hibernate.search.enabled", "false");
        jpa.put("hibernate.format_sql", "false");
        jpa.put("hibernate.show_sql", "false");
        jpa.put("hibernate.jdbc.batch_size", "50");
        jpa.put("hibernate.order_inserts", "true");
        jpa.put("hibernate.order_updates", "true");
        jpa.put("hibernate.cache.use_query_cache", "false");
        jpa.put("hibernate.cache.use_second_level_cache", "false");
        factory.setJpaProperties(jpa);
        return factory;
    }

    @Bean
    @Primary
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
