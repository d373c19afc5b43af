package io.carebus.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The whole engine on its embedded parts (Artemis, PostgreSQL, MLLP listener) with a downstream MLLP receiver
 * on a real socket. One Spring context is shared by every subclass.
 */
// metrics exported as in a real run (Spring Boot's tests switch exporters off otherwise): /actuator/prometheus
@AutoConfigureObservability(tracing = false)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
public abstract class EngineTestBase {

    static {
        // Awaitility fails a waiting test with any uncaught exception of any thread. The shared engine runs HAPI's
        // subscription matching on its own threads, and it throws there when a resource another test updated is
        // deleted before matching reads its previous version (HAPI-0979): not the waiting test's failure.
        org.awaitility.Awaitility.doNotCatchUncaughtExceptionsByDefault();
    }

    protected static final int MLLP_PORT = freePort();
    /** The engine's HTTP port, known before start-up: its own /fhir is also an external FHIR destination's URL. */
    protected static final int HTTP_PORT = freePort();
    /** Senders whose ORU messages go to the engine's own /fhir over HTTP as an external FHIR destination. */
    protected static final String EXTERNAL_FHIR_SENDER = "EXTFHIR";
    protected static final String EXTERNAL_FHIR_IDS_SENDER = "EXTFHIRIDS";
    /**
     * Senders whose ORU messages go to the engine's own /fhir over HTTP with a SMART backend services token from its
     * own token endpoint: signed RS384, ES384, and with a key the client did not register.
     */
    protected static final String SMART_FHIR_SENDER = "EXTFHIRSMART";
    protected static final String SMART_EC_FHIR_SENDER = "EXTFHIRSMARTEC";
    protected static final String SMART_WRONG_KEY_FHIR_SENDER = "EXTFHIRBADKEY";
    protected static final DownstreamReceiver DOWNSTREAM = startDownstream();
    /** Destinations of routing rules that only RouteContentBasedTest's messages match (sender LABROUTE, ADT^A31). */
    protected static final DownstreamReceiver LAB_FEED = startDownstream();
    protected static final DownstreamReceiver PERSON_FEED = startDownstream();
    /**
     * Receivers that speak TLS (OutboundMllpTlsTest), each the destination of a rule for a sender of its own:
     * TLSFEED to tls-feed; MTLSFEED to mtls-feed and MTLSNOKEY to mtls-without-key-feed, both to the receiver that
     * requires a client certificate; TLSSTRANGER to untrusted-feed; TLSWRONGHOST to wrong-host-feed.
     */
    protected static final DownstreamReceiver TLS_FEED = DownstreamTlsKeys.receiver("receiver", false);
    protected static final DownstreamReceiver MTLS_FEED = DownstreamTlsKeys.receiver("receiver", true);
    protected static final DownstreamReceiver UNTRUSTED_FEED = DownstreamTlsKeys.receiver("stranger", false);
    protected static final DownstreamReceiver WRONG_HOST_FEED = DownstreamTlsKeys.receiver("wrong-host", false);
    /** An in-process KRaft Kafka broker: the routing table's "events" destination publishes to it. */
    protected static final EmbeddedKafkaKraftBroker KAFKA = startKafka();
    protected static final String EVENTS_TOPIC = "carebus.hl7v2.events";
    protected static final String FHIR_EVENTS_TOPIC = "carebus.fhir.events";
    /** The FHIR server destination: an HTTP receiver on a real socket that answers 200 to transaction POSTs. */
    protected static final FhirReceiver FHIR_SERVER = FhirReceiver.start();
    protected static final String ENGINEER_PASSWORD = "engineer-test-secret";
    protected static final String ANALYST_PASSWORD = "analyst-test-secret";
    protected static final String AUDITOR_PASSWORD = "auditor-test-secret";
    /** The embedded SFTP drop box: its port and the "clearinghouse" partner's password. */
    protected static final int SFTP_PORT = freePort();
    protected static final String CLEARINGHOUSE_SFTP_PASSWORD = "clearinghouse-test-secret";
    /** The "payer" partner's own SFTP host, where Carebus delivers what it sends the payer. */
    protected static final PartnerSftpHost PAYER_SFTP_HOST = PartnerSftpHost.start();
    /** A key pair the "clearinghouse" partner may also log in to the drop box with. */
    protected static final java.security.KeyPair CLEARINGHOUSE_SFTP_KEY = keyPair();
    /**
     * The "keyedpayer" partner's own SFTP host: Carebus signs in there with this key pair alone (the account has no
     * password), its private key in a passphrase-protected file; the host is known by a known_hosts file.
     */
    protected static final java.security.KeyPair KEYED_PAYER_CLIENT_KEY = keyPair();
    protected static final String KEYED_PAYER_KEY_PASSPHRASE = "keyed-payer-test-passphrase";
    protected static final PartnerSftpHost KEYED_PAYER_SFTP_HOST = PartnerSftpHost.start(null, java.util.List.of(
            org.apache.sshd.common.config.keys.PublicKeyEntry.toString(KEYED_PAYER_CLIENT_KEY.getPublic())));
    /**
     * A machine in the middle: the "spoofedpayer" partner is configured with the payer's host key, but its host
     * address leads here, to a server with a host key of its own.
     */
    protected static final PartnerSftpHost IMPOSTOR_SFTP_HOST = PartnerSftpHost.start();

    @DynamicPropertySource
    static void engineProperties(DynamicPropertyRegistry registry) throws IOException {
        Path data = Files.createTempDirectory("carebus-test-");
        registry.add("carebus.data-dir", data::toString);
        registry.add("server.port", () -> HTTP_PORT);
        registry.add("carebus.mllp.port", () -> MLLP_PORT);
        registry.add("carebus.mllp.read-timeout-ms", () -> "2000");
        registry.add("carebus.mllp.frame-timeout-ms", () -> "4000");
        // the in-process Kafka broker stops in its own shutdown hook: do not wait long for a publish in flight
        registry.add("camel.main.shutdown-timeout", () -> "5");
        registry.add("carebus.destinations.downstream.enabled", () -> "true");
        registry.add("carebus.destinations.downstream.port", DOWNSTREAM::port);
        registry.add("carebus.destinations.downstream.ack-timeout-ms", () -> "2000");
        // several consumers per stage whatever the machine's cores, so per-patient order is tested under concurrency
        registry.add("carebus.queues.stage-consumers", () -> "4");
        registry.add("carebus.queues.redelivery-delay-ms", () -> "100");
        registry.add("carebus.queues.max-redelivery-delay-ms", () -> "500");
        registry.add("carebus.queues.max-delivery-attempts", () -> "3");
        registry.add("CAREBUS_KAFKA_BOOTSTRAP", KAFKA::getBrokersAsString);
        // passes every record through unless a test asks for a failed send (DestinationRetryOrderTest)
        registry.add("camel.component.kafka.interceptor-classes", KafkaSendFailures.class::getName);
        registry.add("carebus.destinations.fhir-server.enabled", () -> "true");
        registry.add("carebus.destinations.fhir-server.url", FHIR_SERVER::url);
        // the engine's own FHIR server as a destination too (the default fhir-server of a plain run)
        registry.add("carebus.destinations.fhir-store.type", () -> "fhir");
        registry.add("carebus.destinations.fhir-store.url", () -> "local");
        registry.add("carebus.destinations.fhir-store.consumers", () -> "2");
        registry.add("carebus.routing.rules.adt-to-fhir-store.type", () -> "ADT");
        registry.add("carebus.routing.rules.adt-to-fhir-store.destinations", () -> "fhir-store");
        // the engine's own /fhir over HTTP as an external FHIR server: one that assigns its own ids, one that takes
        // the client's (ORU from two senders of ExternalFhirDestinationTest alone), both signing in with auth.type basic
        String ownFhir = "http://127.0.0.1:" + HTTP_PORT + "/fhir";
        registry.add("carebus.destinations.fhir-external.type", () -> "fhir");
        registry.add("carebus.destinations.fhir-external.url", () -> ownFhir);
        registry.add("carebus.destinations.fhir-external.consumers", () -> "1");
        registry.add("carebus.destinations.fhir-external.auth.type", () -> "basic");
        registry.add("carebus.destinations.fhir-external.auth.username", () -> "engineer");
        registry.add("carebus.destinations.fhir-external.auth.password", () -> ENGINEER_PASSWORD);
        registry.add("carebus.routing.rules.oru-to-fhir-external.sender", () -> EXTERNAL_FHIR_SENDER);
        registry.add("carebus.routing.rules.oru-to-fhir-external.type", () -> "ORU");
        registry.add("carebus.routing.rules.oru-to-fhir-external.destinations", () -> "fhir-external");
        registry.add("carebus.destinations.fhir-external-ids.type", () -> "fhir");
        registry.add("carebus.destinations.fhir-external-ids.url", () -> ownFhir);
        registry.add("carebus.destinations.fhir-external-ids.client-assigned-ids", () -> "true");
        registry.add("carebus.destinations.fhir-external-ids.consumers", () -> "1");
        registry.add("carebus.destinations.fhir-external-ids.auth.type", () -> "basic");
        registry.add("carebus.destinations.fhir-external-ids.auth.username", () -> "engineer");
        registry.add("carebus.destinations.fhir-external-ids.auth.password", () -> ENGINEER_PASSWORD);
        registry.add("carebus.routing.rules.oru-to-fhir-external-ids.sender", () -> EXTERNAL_FHIR_IDS_SENDER);
        registry.add("carebus.routing.rules.oru-to-fhir-external-ids.type", () -> "ORU");
        registry.add("carebus.routing.rules.oru-to-fhir-external-ids.destinations", () -> "fhir-external-ids");
        smartFhirDestination(registry, "fhir-external-smart", SMART_FHIR_SENDER,
                SmartTestClients.FHIR_DESTINATION_RSA_KEY);
        smartFhirDestination(registry, "fhir-external-smart-ec", SMART_EC_FHIR_SENDER,
                SmartTestClients.FHIR_DESTINATION_EC_KEY);
        smartFhirDestination(registry, "fhir-external-smart-wrong-key", SMART_WRONG_KEY_FHIR_SENDER,
                SmartTestClients.STRANGER_KEY);
        // routing by sender (MSH-3 alone, any facility) and by trigger (MSH-9.2), used by no other test's messages
        registry.add("carebus.destinations.lab-feed.port", LAB_FEED::port);
        registry.add("carebus.destinations.lab-feed.consumers", () -> "1");
        // lab-feed keeps a refusing ACK's free text in the journal (OutboundMllpTest)
        registry.add("carebus.destinations.lab-feed.ack-error-text", () -> "true");
        registry.add("carebus.destinations.person-feed.port", PERSON_FEED::port);
        registry.add("carebus.destinations.person-feed.consumers", () -> "1");
        registry.add("carebus.routing.rules.lab-sender.sender", () -> "LABROUTE");
        registry.add("carebus.routing.rules.lab-sender.destinations", () -> "lab-feed");
        registry.add("carebus.routing.rules.person-updates.trigger", () -> "A31");
        registry.add("carebus.routing.rules.person-updates.destinations", () -> "person-feed");
        registry.add("carebus.routing.rules.north-clinic.sender", () -> "LABROUTE^NORTH");
        registry.add("carebus.routing.rules.north-clinic.type", () -> "ADT");
        registry.add("carebus.routing.rules.north-clinic.destinations", () -> "person-feed");
        tlsDestinations(registry);
        registry.add("CAREBUS_ENGINEER_PASSWORD", () -> ENGINEER_PASSWORD);
        registry.add("CAREBUS_ANALYST_PASSWORD", () -> ANALYST_PASSWORD);
        registry.add("CAREBUS_AUDITOR_PASSWORD", () -> AUDITOR_PASSWORD);
        registry.add("carebus.sftp.embedded.port", () -> SFTP_PORT);
        registry.add("carebus.sftp.poll-delay-ms", () -> "200");
        registry.add("carebus.sftp.read-lock-min-age-ms", () -> "200");
        registry.add("carebus.sftp.read-lock-check-interval-ms", () -> "100");
        registry.add("CAREBUS_SFTP_CLEARINGHOUSE_PASSWORD", () -> CLEARINGHOUSE_SFTP_PASSWORD);
        // a second trading partner with an SFTP host of its own for what Carebus sends it
        registry.add("carebus.x12.partners.payer.name", () -> "PAYER");
        registry.add("carebus.x12.partners.payer.isa-qualifier", () -> "ZZ");
        registry.add("carebus.x12.partners.payer.isa-id", () -> "PAYER");
        registry.add("carebus.x12.partners.payer.gs-id", () -> "PAYER");
        registry.add("carebus.x12.partners.payer.sftp.password", () -> "payer-test-secret");
        registry.add("carebus.x12.partners.payer.sftp.outbound.enabled", () -> "true");
        registry.add("carebus.x12.partners.payer.sftp.outbound.host", () -> "127.0.0.1");
        registry.add("carebus.x12.partners.payer.sftp.outbound.port", PAYER_SFTP_HOST::port);
        registry.add("carebus.x12.partners.payer.sftp.outbound.username", () -> PartnerSftpHost.USERNAME);
        registry.add("carebus.x12.partners.payer.sftp.outbound.password", () -> PartnerSftpHost.PASSWORD);
        registry.add("carebus.x12.partners.payer.sftp.outbound.directory", () -> "inbound");
        registry.add("carebus.x12.partners.payer.sftp.outbound.host-keys[0]", PAYER_SFTP_HOST::hostKey);
        partnerWithOwnHost(registry, "keyedpayer", KEYED_PAYER_SFTP_HOST, "");
        registry.add("carebus.x12.partners.keyedpayer.sftp.outbound.known-hosts-file",
                () -> KEYED_PAYER_SFTP_HOST.knownHostsFile().toString());
        registry.add("carebus.x12.partners.keyedpayer.sftp.outbound.private-key-file",
                () -> PartnerSftpHost.privateKeyFile(KEYED_PAYER_CLIENT_KEY, KEYED_PAYER_KEY_PASSPHRASE).toString());
        registry.add("carebus.x12.partners.keyedpayer.sftp.outbound.private-key-passphrase",
                () -> KEYED_PAYER_KEY_PASSPHRASE);
        partnerWithOwnHost(registry, "spoofedpayer", IMPOSTOR_SFTP_HOST, PartnerSftpHost.PASSWORD);
        registry.add("carebus.x12.partners.spoofedpayer.sftp.outbound.host-keys[0]", PAYER_SFTP_HOST::hostKey);
        // bulk export: a maintenance pass every second, so an export is done in seconds
        registry.add("carebus.fhir.bulk.maintenance-interval-ms", () -> "1000");
        registry.add("carebus.fhir.bulk.retry-after-seconds", () -> "1");
        registry.add("carebus.x12.partners.clearinghouse.sftp.public-keys[0]",
                () -> org.apache.sshd.common.config.keys.PublicKeyEntry.toString(CLEARINGHOUSE_SFTP_KEY.getPublic()));
        // SMART on FHIR: two backend services, a public app and two app users (SmartTestClients)
        registry.add("carebus.smart.clients.test-backend.type", () -> "confidential-asymmetric");
        registry.add("carebus.smart.clients.test-backend.jwks", SmartTestClients::backendJwks);
        registry.add("carebus.smart.clients.test-backend.scopes", () -> SmartTestClients.BACKEND_SCOPES);
        registry.add("carebus.smart.clients." + SmartTestClients.OTHER_BACKEND + ".type", () -> "confidential-asymmetric");
        registry.add("carebus.smart.clients." + SmartTestClients.OTHER_BACKEND + ".jwks",
                SmartTestClients::otherBackendJwks);
        registry.add("carebus.smart.clients." + SmartTestClients.OTHER_BACKEND + ".scopes",
                () -> SmartTestClients.BACKEND_SCOPES);
        registry.add("carebus.smart.clients." + SmartTestClients.FHIR_DESTINATION + ".type",
                () -> "confidential-asymmetric");
        registry.add("carebus.smart.clients." + SmartTestClients.FHIR_DESTINATION + ".jwks",
                SmartTestClients::fhirDestinationJwks);
        registry.add("carebus.smart.clients." + SmartTestClients.FHIR_DESTINATION + ".scopes",
                () -> SmartTestClients.FHIR_DESTINATION_SCOPES);
        registry.add("carebus.smart.clients.test-app.type", () -> "public");
        registry.add("carebus.smart.clients.test-app.redirect-uris[0]", () -> SmartTestClients.APP_REDIRECT);
        registry.add("carebus.smart.clients.test-app.scopes", () -> SmartTestClients.APP_SCOPES);
        registry.add("carebus.smart.users.pat.fhir-user", () -> "Patient/" + SmartTestClients.PATIENT_ID);
        registry.add("carebus.smart.users.pat.password", () -> SmartTestClients.USER_PASSWORD);
        registry.add("carebus.smart.users.doc.fhir-user", () -> "Practitioner/smart-doc-1");
        registry.add("carebus.smart.users.doc.password", () -> SmartTestClients.USER_PASSWORD);
        registry.add("CAREBUS_SMART_REGISTRATION_TOKEN", () -> SmartTestClients.REGISTRATION_TOKEN);
        // the tests' key sets and subscribers listen on http://localhost; the refusals at the defaults are tested
        // without the engine (OutboundUrlPolicyTest and the tests of the checks that use it)
        registry.add("carebus.security.outbound-urls.allow-http", () -> "true");
        registry.add("carebus.security.outbound-urls.allow-private-addresses", () -> "true");
    }

    /**
     * A FHIR destination at the engine's own /fhir over HTTP signing in by SMART backend services at the engine's
     * token endpoint as the fhir-destination client, its key given as PEM PKCS#8; ORU from {@code sender} alone.
     */
    private static void smartFhirDestination(DynamicPropertyRegistry registry, String name, String sender,
                                             com.nimbusds.jose.jwk.JWK key) {
        String d = "carebus.destinations." + name + ".";
        registry.add(d + "type", () -> "fhir");
        registry.add(d + "url", () -> "http://127.0.0.1:" + HTTP_PORT + "/fhir");
        registry.add(d + "consumers", () -> "1");
        registry.add(d + "auth.type", () -> "smart-backend");
        // the audience the engine's token endpoint expects (carebus.smart.base-url blank: http://localhost)
        registry.add(d + "auth.token-url", () -> "http://localhost:" + HTTP_PORT + "/auth/token");
        registry.add(d + "auth.client-id", () -> SmartTestClients.FHIR_DESTINATION);
        registry.add(d + "auth.private-key", () -> SmartTestClients.pkcs8Pem((com.nimbusds.jose.jwk.AsymmetricJWK) key));
        registry.add(d + "auth.key-id", key::getKeyID);
        registry.add(d + "auth.scope", () -> SmartTestClients.FHIR_DESTINATION_SCOPES);
        registry.add("carebus.routing.rules." + name + ".sender", () -> sender);
        registry.add("carebus.routing.rules." + name + ".type", () -> "ORU");
        registry.add("carebus.routing.rules." + name + ".destinations", () -> name);
    }

    /** A trading partner whose own SFTP host (at 127.0.0.1) receives what Carebus sends it, into inbound/. */
    private static void partnerWithOwnHost(DynamicPropertyRegistry registry, String name, PartnerSftpHost host,
                                           String password) {
        String p = "carebus.x12.partners." + name + ".";
        registry.add(p + "name", name::toUpperCase);
        registry.add(p + "isa-qualifier", () -> "ZZ");
        registry.add(p + "isa-id", name::toUpperCase);
        registry.add(p + "gs-id", name::toUpperCase);
        registry.add(p + "sftp.outbound.enabled", () -> "true");
        registry.add(p + "sftp.outbound.host", () -> "127.0.0.1");
        registry.add(p + "sftp.outbound.port", host::port);
        registry.add(p + "sftp.outbound.username", () -> PartnerSftpHost.USERNAME);
        registry.add(p + "sftp.outbound.password", () -> password);
        registry.add(p + "sftp.outbound.directory", () -> "inbound");
    }

    /** The TLS destinations, their routing rules and SSL bundles (see {@link #TLS_FEED}). */
    private static void tlsDestinations(DynamicPropertyRegistry registry) {
        String trust = "spring.ssl.bundle.jks.test-trust.";
        registry.add(trust + "truststore.location", () -> DownstreamTlsKeys.store("carebus-trust").toString());
        registry.add(trust + "truststore.password", () -> DownstreamTlsKeys.PASSWORD);
        String mutual = "spring.ssl.bundle.jks.test-mutual.";
        registry.add(mutual + "truststore.location", () -> DownstreamTlsKeys.store("carebus-trust").toString());
        registry.add(mutual + "truststore.password", () -> DownstreamTlsKeys.PASSWORD);
        registry.add(mutual + "keystore.location", () -> DownstreamTlsKeys.store("carebus").toString());
        registry.add(mutual + "keystore.password", () -> DownstreamTlsKeys.PASSWORD);
        tlsDestination(registry, "tls-feed", "TLSFEED", "localhost", TLS_FEED, "test-trust");
        // by IP address: the certificate must name 127.0.0.1 (an iPAddress subjectAltName)
        tlsDestination(registry, "mtls-feed", "MTLSFEED", "127.0.0.1", MTLS_FEED, "test-mutual");
        tlsDestination(registry, "mtls-without-key-feed", "MTLSNOKEY", "localhost", MTLS_FEED, "test-trust");
        tlsDestination(registry, "untrusted-feed", "TLSSTRANGER", "localhost", UNTRUSTED_FEED, "test-trust");
        tlsDestination(registry, "wrong-host-feed", "TLSWRONGHOST", "localhost", WRONG_HOST_FEED, "test-trust");
    }

    private static void tlsDestination(DynamicPropertyRegistry registry, String name, String sender, String host,
                                       DownstreamReceiver receiver, String bundle) {
        String d = "carebus.destinations." + name + ".";
        registry.add(d + "host", () -> host);
        registry.add(d + "port", receiver::port);
        registry.add(d + "consumers", () -> "1");
        registry.add(d + "tls.enabled", () -> "true");
        registry.add(d + "tls.ssl-bundle", () -> bundle);
        registry.add("carebus.routing.rules." + name + ".sender", () -> sender);
        registry.add("carebus.routing.rules." + name + ".destinations", () -> name);
    }

    @BeforeEach
    void acceptEverything() {
        DOWNSTREAM.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        LAB_FEED.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        PERSON_FEED.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        TLS_FEED.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
        MTLS_FEED.answer(msg -> DownstreamReceiver.ack(msg, "AA"));
    }

    protected static String adt(String controlId, String patientId) {
        return "MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|" + controlId + "|P|2.5.1\r"
                + "EVN|A01|20250101120000\r"
                + "PID|1||" + patientId + "^^^HOSP^MR||DOE^JANE||19800101|F\r"
                + "PV1|1|I|2000^2012^01\r";
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.security.KeyPair keyPair() {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("EC");
            generator.initialize(256);
            return generator.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static EmbeddedKafkaKraftBroker startKafka() {
        EmbeddedKafkaKraftBroker broker = new EmbeddedKafkaKraftBroker(1, 1, EVENTS_TOPIC, FHIR_EVENTS_TOPIC);
        broker.afterPropertiesSet();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::destroy));
        return broker;
    }

    private static DownstreamReceiver startDownstream() {
        try {
            return new DownstreamReceiver(0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
