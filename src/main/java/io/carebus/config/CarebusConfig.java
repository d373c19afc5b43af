package io.carebus.config;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.HashSet;

import io.carebus.hl7v2.AckBuilder;
import io.carebus.hl7v2.DuplicateFilter;
import io.carebus.hl7v2.Hl7HeaderReader;
import io.carebus.hl7v2.Hl7v2Intake;
import io.carebus.hl7v2.MllpListenerHealth;
import io.carebus.journal.JournalReplay;
import io.carebus.journal.JournalRetention;
import io.carebus.routing.DeadLetters;
import jakarta.jms.ConnectionFactory;
import java.time.Clock;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jms.core.JmsTemplate;
import io.carebus.hl7v2.MllpAcknowledgement;
import io.carebus.hl7v2.MllpFrameErrors;
import io.carebus.hl7v2.mllp.MllpListenerComponent;
import io.carebus.journal.ContentCipher;
import io.carebus.journal.Journal;
import io.carebus.journal.JournalKeys;
import io.carebus.journal.IngressGroupCommit;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalStatusWriter;
import io.carebus.journal.JournalSteps;
import io.carebus.journal.PatientKeyHasher;
import io.carebus.routing.DestinationRouter;
import io.carebus.routing.OutboundDelivery;
import io.carebus.routing.OutboundMllp;
import io.carebus.routing.OutboundRoutes;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The beans the routes call by name (see routes/). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CarebusProperties.class)
@EnableScheduling
public class CarebusConfig {

    @Bean
    JournalKeys journalKeys(CarebusProperties properties) throws IOException {
        return JournalKeys.from(properties);
    }

    @Bean
    JournalRepository journalRepository(JdbcTemplate jdbc, CarebusProperties properties) {
        return new JournalRepository(jdbc, properties.getJournal().getDeliveryCommit());
    }

    @Bean
    JournalStatusWriter journalStatusWriter(JournalRepository repository, CarebusProperties properties) {
        return new JournalStatusWriter(repository, properties.getJournal().getStatusBatchWindow());
    }

    @Bean
    Journal journal(JournalRepository repository, JournalStatusWriter writer, JournalKeys keys,
                    CarebusProperties properties) {
        CarebusProperties.Journal settings = properties.getJournal();
        java.nio.file.Path contentDir = settings.getContentDir() == null || settings.getContentDir().isBlank()
                ? properties.getDataDir().resolve("journal-content") : java.nio.file.Path.of(settings.getContentDir());
        return new Journal(repository, writer, new ContentCipher(keys.contentKeys()),
                new PatientKeyHasher(keys.patientKey()),
                new io.carebus.journal.JournalContentFiles(contentDir,
                        new io.carebus.journal.ContentStreamCipher(keys.contentKeys())),
                settings.getInlineMaxBytes());
    }

    @Bean
    JournalSteps journalSteps(Journal journal, CarebusProperties properties) {
        return new JournalSteps(journal, properties.getQueues().getMaxDeliveryAttempts());
    }

    @Bean
    Hl7v2Intake hl7v2Intake(CarebusProperties properties, Journal journal) {
        CarebusProperties.Hl7v2 hl7 = properties.getHl7v2();
        return new Hl7v2Intake(
                new Hl7HeaderReader(Charset.forName(hl7.getDefaultCharset()), Charset.forName(hl7.getFallbackCharset())),
                new AckBuilder(hl7.getApplication(), hl7.getFacility()), journal,
                new HashSet<>(hl7.getSupportedVersions()), new HashSet<>(hl7.getSupportedMessageTypes()));
    }

    /** {@code stage:<queue>}: the stage queues, consumed in transacted batches (routes/transform, route, outbound). */
    @Bean("stage")
    io.carebus.stage.StageComponent stageComponent(CarebusProperties properties) {
        CarebusProperties.Queues q = properties.getQueues();
        return new io.carebus.stage.StageComponent()
                .backOff(q.getRedeliveryDelayMs(), q.getRedeliveryMultiplier(), q.getMaxRedeliveryDelayMs());
    }

    /** Store-then-ACK for the MLLP listener, in groups: journal rows and ingress queue messages. */
    @Bean
    IngressGroupCommit mllpIngress(Journal journal, ConnectionFactory connectionFactory,
                                   ObjectProvider<CamelContext> camel, CarebusProperties properties) {
        CarebusProperties.Mllp mllp = properties.getMllp();
        return new IngressGroupCommit(journal, connectionFactory, camel::getObject,
                properties.getQueues().getIngressHl7v2(),
                mllp.getIntakeWriters(), mllp.getIntakeMaxGroup(), mllp.getIntakeTimeout());
    }

    @Bean
    MllpAcknowledgement mllpAcknowledgement() {
        return new MllpAcknowledgement();
    }

    /**
     * The inbound MLLP listener component, {@code hl7-mllp:host:port} in routes/inbound/; with TLS when
     * carebus.mllp.tls.enabled made the mllpSslContext bean (MllpTlsConfig).
     */
    @Bean("hl7-mllp")
    MllpListenerComponent mllpListenerComponent(ObjectProvider<SSLContextParameters> mllpSslContext) {
        MllpListenerComponent component = new MllpListenerComponent();
        component.setSslContextParameters(mllpSslContext.getIfAvailable());
        return component;
    }

    @Bean
    MllpFrameErrors mllpFrameErrors(Journal journal) {
        return new MllpFrameErrors(journal);
    }

    @Bean
    OutboundRoutes outboundRoutes(CarebusProperties properties, DestinationRouter router,
            @org.springframework.beans.factory.annotation.Value("${carebus.fhir.server.enabled:true}") boolean fhirServer) {
        return new OutboundRoutes(properties, router, fhirServer);
    }

    @Bean
    JournalReplay journalReplay(Journal journal, CarebusProperties properties, JmsTemplate jmsTemplate,
                                DestinationRouter router) {
        CarebusProperties.Hl7v2 hl7 = properties.getHl7v2();
        return new JournalReplay(journal, new Hl7HeaderReader(Charset.forName(hl7.getDefaultCharset()),
                Charset.forName(hl7.getFallbackCharset())), jmsTemplate, properties.getQueues().getIngressHl7v2(),
                router);
    }

    @Bean
    DeadLetters deadLetters(ConnectionFactory connectionFactory, CarebusProperties properties,
            @org.springframework.beans.factory.annotation.Value(
                    "${carebus.fhir.subscriptions.queue:carebus.subscription.notify}") String subscriptionQueue,
            @org.springframework.beans.factory.annotation.Value(BrokerConfig.X12_INGRESS_QUEUE) String x12IngressQueue) {
        JmsTemplate transacted = new JmsTemplate(connectionFactory);
        transacted.setSessionTransacted(true);
        java.util.List<String> queues = new java.util.ArrayList<>(BrokerConfig.stageQueues(properties,
                x12IngressQueue));
        queues.add(subscriptionQueue);     // FHIR subscription notifications: listed and replayed like the stages
        return new DeadLetters(transacted, queues);
    }

    @Bean
    JournalRetention journalRetention(JournalRepository repository, Journal journal, CarebusProperties properties) {
        return new JournalRetention(repository, journal.files(), properties.getJournal().getRetention(),
                properties.getHl7v2().getDuplicateWindow(), Clock.systemUTC());
    }

    @Bean
    MllpListenerHealth mllpListenerHealthIndicator(CamelContext camel, CarebusProperties properties) {
        return new MllpListenerHealth(camel, properties.getMllp().getPort());
    }

    @Bean
    DuplicateFilter duplicateFilter(Journal journal, CarebusProperties properties) {
        return new DuplicateFilter(journal, properties.getHl7v2().getDuplicateWindow());
    }

    @Bean
    DestinationRouter destinationRouter(CarebusProperties properties, JournalRepository journal) {
        return new DestinationRouter(properties, journal::isReplay);
    }

    @Bean
    OutboundMllp outboundMllp(CarebusProperties properties, DestinationRouter router,
                              SslBundles sslBundles) {
        return new OutboundMllp(properties.getDestinations(), router::isEnabled, sslBundles);
    }

    @Bean
    OutboundDelivery outboundDelivery(Journal journal, CarebusProperties properties) {
        return new OutboundDelivery(journal, properties.getQueues().getMaxDeliveryAttempts(),
                properties.getDestinations().keySet());
    }
}
