package io.carebus.fhir.server;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.List;

import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.HardcodedServerAddressStrategy;
import ca.uhn.fhir.rest.server.IncomingRequestAddressStrategy;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.provider.ResourceProviderFactory;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR R4 REST server at {@code /fhir}: HAPI's RestfulServer over the JPA DAOs. */
@ConditionalOnFhirServer
@Configuration(proxyBeanMethods = false)
public class FhirServerConfig {

    public static final String PATH = "/fhir";

    @Bean
    RestfulServer fhirRestfulServer(IFhirSystemDao<?, ?> systemDao, ResourceProviderFactory resourceProviders,
            JpaSystemProvider<?, ?> systemProvider, DatabaseBackedPagingProvider pagingProvider,
            JpaStorageSettings storageSettings, ISearchParamRegistry searchParamRegistry,
            IValidationSupport validationSupport, FhirServerProperties properties,
            List<FhirServerCustomizer> customizers) {
        RestfulServer server = new RestfulServer(systemDao.getContext());
        server.setServerName("Carebus");
        server.registerProviders(resourceProviders.createProviders());
        server.registerProvider(systemProvider);
        pagingProvider.setDefaultPageSize(properties.getDefaultPageSize());
        pagingProvider.setMaximumPageSize(properties.getMaxPageSize());
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerAddressStrategy(properties.getBaseUrl().isBlank()
                ? new IncomingRequestAddressStrategy()
                : new HardcodedServerAddressStrategy(properties.getBaseUrl()));
        JpaCapabilityStatementProvider capabilities = new JpaCapabilityStatementProvider(server, systemDao,
                storageSettings, searchParamRegistry, validationSupport);
        capabilities.setImplementationDescription("Carebus FHIR R4 server");
        server.setServerConformanceProvider(capabilities);
        server.registerInterceptor(new IfMatchPreconditionInterceptor());
        server.registerInterceptor(new EverythingSinceInterceptor());
        server.registerInterceptor(new HistoryPageLinks());
        customizers.forEach(customizer -> customizer.customize(server));
        return server;
    }

    @Bean
    @SuppressWarnings("unchecked")
    LocalFhirStore localFhirStore(ca.uhn.fhir.context.FhirContext fhirContext, IFhirSystemDao<?, ?> systemDao) {
        return new LocalFhirStore(fhirContext, (IFhirSystemDao<org.hl7.fhir.r4.model.Bundle, ?>) systemDao);
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer fhirRestfulServer) {
        ServletRegistrationBean<RestfulServer> registration =
                new ServletRegistrationBean<>(fhirRestfulServer, PATH + "/*");
        registration.setName("fhir");
        registration.setLoadOnStartup(1);
        return registration;
    }
}
