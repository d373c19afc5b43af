package io.carebus.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;

import ca.uhn.fhir.context.FhirContext;
import io.carebus.conversion.FhirToHl7v2Converter;
import io.carebus.conversion.Hl7v2ToFhirConverter;
import io.carebus.conversion.functions.StandardFunctions;
import io.carebus.conversion.mapping.ConversionSettings;
import io.carebus.conversion.mapping.MappingDocuments;
import io.carebus.conversion.spine.FhirConversionStep;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * The HL7 v2 ⇄ FHIR converters. Mappings come from {@code carebus.mappings.dir}/hl7v2-fhir (the working tree's
 * {@code mappings/} by default, so an engineer changes a mapping without rebuilding), else from the copy
 * packaged in the jar. The FhirContext is the FHIR server's (HAPI JPA's R4 context): one for the application;
 * without the FHIR server, HAPI's shared R4 context.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConversionProperties.class)
public class ConversionConfig {

    private static final Logger log = LoggerFactory.getLogger(ConversionConfig.class);
    private static final String HL7V2_FHIR = "hl7v2-fhir";

    /** Without the engine's own FHIR server (whose HAPI JPA context it otherwise is), the shared R4 context. */
    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(prefix = "carebus.fhir.server",
            name = "enabled", havingValue = "false")
    FhirContext fhirContext() {
        return FhirContext.forR4Cached();
    }

    @Bean
    ConversionSettings conversionSettings(ConversionProperties properties) {
        return new ConversionSettings(ZoneId.of(properties.getDefaultZone()), properties.getIdentifierSystemPrefix(),
                properties.getExtensionBase());
    }

    @Bean
    Hl7v2ToFhirConverter hl7v2ToFhirConverter(FhirContext fhirContext, ConversionSettings settings,
                                              @Value("${carebus.mappings.dir:mappings}") String mappingsDir)
            throws IOException {
        Path dir = Path.of(mappingsDir).resolve(HL7V2_FHIR);
        MappingDocuments documents;
        if (Files.isDirectory(dir)) {
            log.info("HL7 v2 → FHIR mappings from {}", dir.toAbsolutePath());
            documents = MappingDocuments.fromDirectory(dir);
        } else {
            log.info("HL7 v2 → FHIR mappings from the classpath (no {} directory)", dir);
            documents = fromClasspath();
        }
        return new Hl7v2ToFhirConverter(fhirContext, documents, StandardFunctions.create(), settings);
    }

    @Bean
    FhirToHl7v2Converter fhirToHl7v2Converter(FhirContext fhirContext, Hl7v2ToFhirConverter forward,
                                              CarebusProperties properties) {
        return new FhirToHl7v2Converter(fhirContext, forward.mappings(), forward.settings(),
                properties.getHl7v2().getApplication(), properties.getHl7v2().getFacility());
    }

    /**
     * What a FHIR destination may see of the exchange's headers: only HTTP's own (Content-Type is sent from the
     * body's type). Carebus's headers (journal id, control id, patient hash) and the broker's stay inside.
     */
    @Bean
    org.apache.camel.support.DefaultHeaderFilterStrategy fhirHttpHeaders() {
        org.apache.camel.support.DefaultHeaderFilterStrategy strategy =
                new org.apache.camel.http.common.HttpHeaderFilterStrategy();
        strategy.setOutFilterStartsWith("Carebus", "JMS", "Camel", "camel", "org.apache.camel", "breadcrumbId");
        strategy.setLowerCase(false);
        return strategy;
    }

    @Bean
    FhirConversionStep fhirConversion(Hl7v2ToFhirConverter converter) {
        return new FhirConversionStep(converter);
    }

    /** The mappings packaged in the jar (mappings/hl7v2-fhir on the classpath). */
    static MappingDocuments fromClasspath() throws IOException {
        MappingDocuments documents = new MappingDocuments();
        PathMatchingResourcePatternResolver resolver = new PathMatchingResourcePatternResolver();
        for (String kind : new String[] {"messages", "segments", "datatypes", "codesystems"}) {
            for (Resource r : resolver.getResources("classpath*:mappings/" + HL7V2_FHIR + "/" + kind + "/*.yaml")) {
                try (InputStream in = r.getInputStream()) {
                    documents.add(kind, r.getDescription(), MappingDocuments.parse(in, r.getDescription()));
                }
            }
        }
        for (Resource r : resolver.getResources("classpath*:mappings/" + HL7V2_FHIR + "/senders/*.yaml")) {
            try (InputStream in = r.getInputStream()) {
                var doc = MappingDocuments.parse(in, r.getDescription());
                String name = String.valueOf(r.getFilename()).replaceFirst("\\.ya?ml$", "");
                documents.addSender(String.valueOf(doc.getOrDefault("sender", name)), doc);
            }
        }
        return documents;
    }
}
