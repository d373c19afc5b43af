package io.carebus.config;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

import io.carebus.journal.Journal;
import io.carebus.x12.X12Service;
import io.carebus.x12.fhir.X12ToFhir;
import io.carebus.x12.intake.ControlNumbers;
import io.carebus.x12.intake.Envelopes;
import io.carebus.x12.intake.OutboundTracking;
import io.carebus.x12.intake.ReceivedInterchanges;
import io.carebus.x12.intake.TradingPartner;
import io.carebus.x12.intake.X12Identity;
import io.carebus.x12.intake.X12Intake;
import io.carebus.x12.read.X12Delimiters;
import io.carebus.x12.schema.SchemaRegistry;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** X12 5010: schemas (read once at start-up), validation, acknowledgments, control numbers, the file intake. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({X12Properties.class, SftpProperties.class})
public class X12Config {

    @Bean
    SchemaRegistry x12Schemas() {
        return SchemaRegistry.fromClasspath(X12Config.class.getClassLoader());
    }

    @Bean
    X12Service x12Service(SchemaRegistry schemas) {
        return new X12Service(schemas);
    }

    @Bean
    X12ToFhir x12ToFhir() {
        return new X12ToFhir();
    }

    @Bean
    ControlNumbers x12ControlNumbers(JdbcTemplate jdbc) {
        return new ControlNumbers(jdbc);
    }

    @Bean
    ReceivedInterchanges x12ReceivedInterchanges(JdbcTemplate jdbc) {
        return new ReceivedInterchanges(jdbc);
    }

    @Bean
    Map<String, TradingPartner> x12TradingPartners(X12Properties properties) {
        Map<String, TradingPartner> partners = new LinkedHashMap<>();
        properties.getPartners().forEach((name, p) -> partners.put(name, new TradingPartner(name,
                p.getIsaQualifier(), p.getIsaId(), p.getGsId() == null ? p.getIsaId() : p.getGsId(),
                new X12Delimiters(p.getElementSeparator().charAt(0), p.getRepetitionSeparator().charAt(0),
                        p.getComponentSeparator().charAt(0), p.getSegmentTerminator().charAt(0)))));
        return partners;
    }

    @Bean
    Envelopes x12Envelopes(X12Properties properties, ControlNumbers numbers) {
        return new Envelopes(new X12Identity(properties.getIsaQualifier(), properties.getIsaId(),
                properties.getGsId(), properties.isProduction()), numbers, Clock.systemUTC());
    }

    @Bean
    OutboundTracking x12OutboundTracking(JdbcTemplate jdbc) {
        return new OutboundTracking(jdbc);
    }

    @Bean
    X12Intake x12Intake(X12Service x12, Journal journal, ReceivedInterchanges received, Envelopes envelopes,
                        Map<String, TradingPartner> x12TradingPartners, OutboundTracking tracking) {
        return new X12Intake(x12, journal, received, envelopes, x12TradingPartners, tracking);
    }
}
