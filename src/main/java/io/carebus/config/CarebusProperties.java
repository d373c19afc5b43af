package io.carebus.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Period;
import java.util.ArrayList;
import java.util.LinkedHashMap;

import org.springframework.util.unit.DataSize;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Everything under {@code carebus.*}; defaults live in config/application.yaml. */
@ConfigurationProperties(prefix = "carebus")
public class CarebusProperties {

    private Path dataDir = Path.of("data");
    private final Database database = new Database();
    private final Mllp mllp = new Mllp();
    private final Hl7v2 hl7v2 = new Hl7v2();
    private final Journal journal = new Journal();
    private final Queues queues = new Queues();
    private final Routing routing = new Routing();
    private final Map<String, Destination> destinations = new LinkedHashMap<>();
    private final Kafka kafka = new Kafka();
    private final Security security = new Security();

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public Database getDatabase() { return database; }
    public Mllp getMllp() { return mllp; }
    public Hl7v2 getHl7v2() { return hl7v2; }
    public Journal getJournal() { return journal; }
    public Queues getQueues() { return queues; }
    public Routing getRouting() { return routing; }
    public Map<String, Destination> getDestinations() { return destinations; }
    public Kafka getKafka() { return kafka; }
    public Security getSecurity() { return security; }

    public static class Database {
        /** Start an embedded PostgreSQL under data/postgres when no spring.datasource.url is given. */
        private boolean embedded = true;
        /** 0 picks a free port. */
        private int embeddedPort = 0;
        /** How often the embedded PostgreSQL's changed table files are written to disk (0 = left to the OS). */
        private java.time.Duration embeddedWritebackInterval = java.time.Duration.ofMillis(250);
        public java.time.Duration getEmbeddedWritebackInterval() { return embeddedWritebackInterval; }
        public void setEmbeddedWritebackInterval(java.time.Duration interval) { this.embeddedWritebackInterval = interval; }
        public boolean isEmbedded() { return embedded; }
        public void setEmbedded(boolean embedded) { this.embedded = embedded; }
        public int getEmbeddedPort() { return embeddedPort; }
        public void setEmbeddedPort(int embeddedPort) { this.embeddedPort = embeddedPort; }
    }

    public static class Mllp {
        private String host = "0.0.0.0";
        private int port = 2575;
        private int maxFrameBytes = 1024 * 1024;
        private int idleTimeoutMs = 300000;
        private int readTimeoutMs = 5000;
        public int getReadTimeoutMs() { return readTimeoutMs; }
        public void setReadTimeoutMs(int readTimeoutMs) { this.readTimeoutMs = readTimeoutMs; }
        /** A frame must be complete this long after its start block, however steadily its bytes trickle in. */
        private int frameTimeoutMs = 30000;
        public int getFrameTimeoutMs() { return frameTimeoutMs; }
        public void setFrameTimeoutMs(int frameTimeoutMs) { this.frameTimeoutMs = frameTimeoutMs; }
        private int maxConnections = 64;
        /** Threads writing groups of received messages (journal rows + ingress queue), see IngressGroupCommit. */
        private int intakeWriters = 2;
        /** The most messages journaled and queued in one transaction. */
        private int intakeMaxGroup = 128;
        /** How long a received message may wait to be stored before the sender is answered AE (CE). */
        private java.time.Duration intakeTimeout = java.time.Duration.ofSeconds(30);
        public int getIntakeWriters() { return intakeWriters; }
        public void setIntakeWriters(int intakeWriters) { this.intakeWriters = intakeWriters; }
        public int getIntakeMaxGroup() { return intakeMaxGroup; }
        public void setIntakeMaxGroup(int intakeMaxGroup) { this.intakeMaxGroup = intakeMaxGroup; }
        public java.time.Duration getIntakeTimeout() { return intakeTimeout; }
        public void setIntakeTimeout(java.time.Duration intakeTimeout) { this.intakeTimeout = intakeTimeout; }
        private final Tls tls = new Tls();
        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public int getMaxFrameBytes() { return maxFrameBytes; }
        public void setMaxFrameBytes(int maxFrameBytes) { this.maxFrameBytes = maxFrameBytes; }
        public int getIdleTimeoutMs() { return idleTimeoutMs; }
        public void setIdleTimeoutMs(int idleTimeoutMs) { this.idleTimeoutMs = idleTimeoutMs; }
        public int getMaxConnections() { return maxConnections; }
        public void setMaxConnections(int maxConnections) { this.maxConnections = maxConnections; }
        public Tls getTls() { return tls; }
    }

    public static class Tls {
        private boolean enabled;
        private String keyStore = "";
        private String keyStorePassword = "";
        private String trustStore = "";
        private String trustStorePassword = "";
        /** NONE, WANT or REQUIRE (mutual TLS). */
        private String clientAuth = "NONE";
        /** A connection whose TLS handshake is not done this long after it was accepted is closed. */
        private int handshakeTimeoutMs = 10000;
        public int getHandshakeTimeoutMs() { return handshakeTimeoutMs; }
        public void setHandshakeTimeoutMs(int handshakeTimeoutMs) { this.handshakeTimeoutMs = handshakeTimeoutMs; }
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getKeyStore() { return keyStore; }
        public void setKeyStore(String keyStore) { this.keyStore = keyStore; }
        public String getKeyStorePassword() { return keyStorePassword; }
        public void setKeyStorePassword(String keyStorePassword) { this.keyStorePassword = keyStorePassword; }
        public String getTrustStore() { return trustStore; }
        public void setTrustStore(String trustStore) { this.trustStore = trustStore; }
        public String getTrustStorePassword() { return trustStorePassword; }
        public void setTrustStorePassword(String trustStorePassword) { this.trustStorePassword = trustStorePassword; }
        public String getClientAuth() { return clientAuth; }
        public void setClientAuth(String clientAuth) { this.clientAuth = clientAuth; }
    }

    public static class Hl7v2 {
        private String defaultCharset = "UTF-8";
        private String fallbackCharset = "windows-1252";
        private List<String> supportedVersions = new ArrayList<>();
        private List<String> supportedMessageTypes = new ArrayList<>();
        private Duration duplicateWindow = Duration.ofHours(24);
        private String application = "CAREBUS";
        private String facility = "CAREBUS";
        public String getDefaultCharset() { return defaultCharset; }
        public void setDefaultCharset(String defaultCharset) { this.defaultCharset = defaultCharset; }
        public String getFallbackCharset() { return fallbackCharset; }
        public void setFallbackCharset(String fallbackCharset) { this.fallbackCharset = fallbackCharset; }
        public List<String> getSupportedVersions() { return supportedVersions; }
        public void setSupportedVersions(List<String> supportedVersions) { this.supportedVersions = supportedVersions; }
        public List<String> getSupportedMessageTypes() { return supportedMessageTypes; }
        public void setSupportedMessageTypes(List<String> supportedMessageTypes) { this.supportedMessageTypes = supportedMessageTypes; }
        public Duration getDuplicateWindow() { return duplicateWindow; }
        public void setDuplicateWindow(Duration duplicateWindow) { this.duplicateWindow = duplicateWindow; }
        public String getApplication() { return application; }
        public void setApplication(String application) { this.application = application; }
        public String getFacility() { return facility; }
        public void setFacility(String facility) { this.facility = facility; }
    }

    public static class Journal {
        private String contentKey = "";
        private String patientKey = "";
        /** Content keys used before the current one (base64, comma-separated in the environment): decrypt only. */
        private java.util.List<String> previousContentKeys = new java.util.ArrayList<>();
        private Period retention = Period.ofDays(30);
        private String partitionMaintenanceCron = "0 7 * * * *";
        /** Content larger than this is kept encrypted in a file under contentDir, the row holding its reference. */
        private long inlineMaxBytes = 4L * 1024 * 1024;
        /** Folder of the large content files (default <data-dir>/journal-content). */
        private String contentDir = "";
        /**
         * How long the status writer gathers changes before writing them: a message that moves through several
         * stages within it costs one row update instead of one per stage.
         */
        private Duration statusBatchWindow = Duration.ofMillis(200);
        /**
         * How an outbound delivery record is committed: DURABLE (the default) waits for PostgreSQL's flush to disk,
         * ASYNC does not. See {@link io.carebus.journal.DeliveryCommit}.
         */
        private io.carebus.journal.DeliveryCommit deliveryCommit = io.carebus.journal.DeliveryCommit.DURABLE;
        public io.carebus.journal.DeliveryCommit getDeliveryCommit() { return deliveryCommit; }
        public void setDeliveryCommit(io.carebus.journal.DeliveryCommit v) { this.deliveryCommit = v; }
        public Duration getStatusBatchWindow() { return statusBatchWindow; }
        public void setStatusBatchWindow(Duration v) { this.statusBatchWindow = v; }
        public long getInlineMaxBytes() { return inlineMaxBytes; }
        public void setInlineMaxBytes(long v) { this.inlineMaxBytes = v; }
        public String getContentDir() { return contentDir; }
        public void setContentDir(String v) { this.contentDir = v; }
        public String getContentKey() { return contentKey; }
        public void setContentKey(String contentKey) { this.contentKey = contentKey; }
        public String getPatientKey() { return patientKey; }
        public java.util.List<String> getPreviousContentKeys() { return previousContentKeys; }
        public void setPreviousContentKeys(java.util.List<String> v) { this.previousContentKeys = v; }
        public void setPatientKey(String patientKey) { this.patientKey = patientKey; }
        public Period getRetention() { return retention; }
        public void setRetention(Period retention) { this.retention = retention; }
        public String getPartitionMaintenanceCron() { return partitionMaintenanceCron; }
        public void setPartitionMaintenanceCron(String c) { this.partitionMaintenanceCron = c; }
    }

    public static class Queues {
        private String ingressHl7v2 = "carebus.ingress.hl7v2";
        private String canonical = "carebus.canonical";
        private long redeliveryDelayMs = 1000;
        private double redeliveryMultiplier = 2.0;
        private long maxRedeliveryDelayMs = 300000;
        private int maxDeliveryAttempts = 10;
        /** Resolved by {@link StageConsumersDefault} when {@code auto}. */
        private int stageConsumers = StageConsumersDefault.forCores(Runtime.getRuntime().availableProcessors());
        /** Message bytes the embedded broker keeps in memory, all queues together; beyond it, queues page to disk. */
        private DataSize brokerMemory = DataSize.ofMegabytes(48);
        public DataSize getBrokerMemory() { return brokerMemory; }
        public void setBrokerMemory(DataSize brokerMemory) { this.brokerMemory = brokerMemory; }
        public String getIngressHl7v2() { return ingressHl7v2; }
        public void setIngressHl7v2(String ingressHl7v2) { this.ingressHl7v2 = ingressHl7v2; }
        public String getCanonical() { return canonical; }
        public void setCanonical(String canonical) { this.canonical = canonical; }
        public long getRedeliveryDelayMs() { return redeliveryDelayMs; }
        public void setRedeliveryDelayMs(long redeliveryDelayMs) { this.redeliveryDelayMs = redeliveryDelayMs; }
        public double getRedeliveryMultiplier() { return redeliveryMultiplier; }
        public void setRedeliveryMultiplier(double redeliveryMultiplier) { this.redeliveryMultiplier = redeliveryMultiplier; }
        public long getMaxRedeliveryDelayMs() { return maxRedeliveryDelayMs; }
        public void setMaxRedeliveryDelayMs(long maxRedeliveryDelayMs) { this.maxRedeliveryDelayMs = maxRedeliveryDelayMs; }
        public int getMaxDeliveryAttempts() { return maxDeliveryAttempts; }
        public void setMaxDeliveryAttempts(int maxDeliveryAttempts) { this.maxDeliveryAttempts = maxDeliveryAttempts; }
        /** The most messages one stage transaction consumes (stage: component, maxBatch). */
        private int stageBatch = 32;
        /** How long (ms) a stage consumer waits to fill a batch that is not full (stage: batchLingerMs). */
        private long stageBatchLingerMs = 5;
        public long getStageBatchLingerMs() { return stageBatchLingerMs; }
        public void setStageBatchLingerMs(long stageBatchLingerMs) { this.stageBatchLingerMs = stageBatchLingerMs; }
        public int getStageBatch() { return stageBatch; }
        public void setStageBatch(int stageBatch) { this.stageBatch = stageBatch; }
        public int getStageConsumers() { return stageConsumers; }
        public void setStageConsumers(int stageConsumers) { this.stageConsumers = stageConsumers; }
    }

    /**
     * The routing table: rules by name (a map, so a deployment or a test adds or switches off one rule by its own
     * property without restating the table).
     */
    public static class Routing {
        private Map<String, Rule> rules = new java.util.LinkedHashMap<>();
        public Map<String, Rule> getRules() { return rules; }
        public void setRules(Map<String, Rule> rules) { this.rules = rules; }
    }

    /** One row of the routing table. Blank or "*" fields match anything. */
    public static class Rule {
        private String name = "";
        private String sender = "*";
        private String type = "*";
        private String trigger = "*";
        private List<String> destinations = new ArrayList<>();
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getSender() { return sender; }
        public void setSender(String sender) { this.sender = sender; }
        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public String getTrigger() { return trigger; }
        public void setTrigger(String trigger) { this.trigger = trigger; }
        public List<String> getDestinations() { return destinations; }
        public void setDestinations(List<String> destinations) { this.destinations = destinations; }
    }

    /** A downstream target: an MLLP receiver or a Kafka topic. */
    public static class Destination {
        private String type = "mllp";
        private Boolean enabled;
        private String host = "localhost";
        private int port;
        private int ackTimeoutMs = 15000;
        private int consumers = 4;
        private String topic = "";
        /** type fhir: the URL the transaction Bundle is POSTed to (the FHIR server's base) */
        private String url = "";
        /** type mllp: TLS (and mutual TLS) to the downstream system */
        private final DestinationTls tls = new DestinationTls();
        /**
         * type mllp: also keep the free text of a refusing ACK (MSA-3, ERR-3.2, ERR-7, ERR-8) in the journal's error
         * text; off by default, as it may quote the message (patient data). Its codes are always kept.
         */
        private boolean ackErrorText;
        public DestinationTls getTls() { return tls; }
        public boolean isAckErrorText() { return ackErrorText; }
        public void setAckErrorText(boolean ackErrorText) { this.ackErrorText = ackErrorText; }
        /**
         * type fhir with a URL: the server accepts client-assigned ids, so entries without a business identifier
         * are sent as PUT Type/&lt;key&gt; rather than as conditional creates on a Carebus identifier
         */
        private boolean clientAssignedIds;
        /** type fhir with a URL: the credentials sent to the FHIR server (none, basic or smart-backend) */
        private final DestinationAuth auth = new DestinationAuth();
        public DestinationAuth getAuth() { return auth; }
        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public Boolean getEnabled() { return enabled; }
        public void setEnabled(Boolean enabled) { this.enabled = enabled; }
        public String getHost() { return host; }
        public void setHost(String host) { this.host = host; }
        public int getPort() { return port; }
        public void setPort(int port) { this.port = port; }
        public int getAckTimeoutMs() { return ackTimeoutMs; }
        public void setAckTimeoutMs(int ackTimeoutMs) { this.ackTimeoutMs = ackTimeoutMs; }
        public int getConsumers() { return consumers; }
        public void setConsumers(int consumers) { this.consumers = consumers; }
        public String getTopic() { return topic; }
        public void setTopic(String topic) { this.topic = topic; }
        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public boolean isClientAssignedIds() { return clientAssignedIds; }
        public void setClientAssignedIds(boolean clientAssignedIds) { this.clientAssignedIds = clientAssignedIds; }
    }

    /**
     * How a FHIR destination authenticates to its server. {@code basic}: username and password. {@code smart-backend}:
     * SMART App Launch 2.x Backend Services, a client_credentials token obtained with a private_key_jwt client assertion
     * (RFC 7523) signed by {@code privateKey} (PEM PKCS#8; RSA signs RS384, EC P-384 ES384). Secrets (password, private
     * key) come from the environment.
     */
    public static class DestinationAuth {
        private String type = "none";
        private String username = "";
        private String password = "";
        private String tokenUrl = "";
        private String clientId = "";
        private String privateKey = "";
        private String keyId = "";
        private String scope = "system/*.cruds";
        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public String getUsername() { return username; }
        public void setUsername(String username) { this.username = username; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getTokenUrl() { return tokenUrl; }
        public void setTokenUrl(String tokenUrl) { this.tokenUrl = tokenUrl; }
        public String getClientId() { return clientId; }
        public void setClientId(String clientId) { this.clientId = clientId; }
        public String getPrivateKey() { return privateKey; }
        public void setPrivateKey(String privateKey) { this.privateKey = privateKey; }
        public String getKeyId() { return keyId; }
        public void setKeyId(String keyId) { this.keyId = keyId; }
        public String getScope() { return scope; }
        public void setScope(String scope) { this.scope = scope; }
        /** Never the password or the key. */
        @Override
        public String toString() { return "DestinationAuth[" + type + "]"; }
    }

    /**
     * TLS on an outbound MLLP connection: the trust store, and for mutual TLS the key store, come from a Spring Boot
     * SSL bundle ({@code spring.ssl.bundle.jks.<name>} or {@code .pem.<name>}) named here.
     */
    public static class DestinationTls {
        private boolean enabled;
        private String sslBundle = "";
        /** Check that the downstream's certificate names the destination's host (RFC 2818 §3.1, RFC 6125). */
        private boolean verifyHostname = true;
        public boolean isEnabled() { return enabled; }
        public void setEnabled(boolean enabled) { this.enabled = enabled; }
        public String getSslBundle() { return sslBundle; }
        public void setSslBundle(String sslBundle) { this.sslBundle = sslBundle; }
        public boolean isVerifyHostname() { return verifyHostname; }
        public void setVerifyHostname(boolean verifyHostname) { this.verifyHostname = verifyHostname; }
    }

    public static class Kafka {
        private String bootstrapServers = "";
        public String getBootstrapServers() { return bootstrapServers; }
        public void setBootstrapServers(String bootstrapServers) { this.bootstrapServers = bootstrapServers; }
        public boolean isEnabled() { return bootstrapServers != null && !bootstrapServers.isBlank(); }
    }

    public static class Security {
        private List<User> users = new ArrayList<>();
        private final OutboundUrls outboundUrls = new OutboundUrls();
        public List<User> getUsers() { return users; }
        public void setUsers(List<User> users) { this.users = users; }
        public OutboundUrls getOutboundUrls() { return outboundUrls; }
    }

    /** URLs callers choose for the engine to call (jwks_uri, rest-hook endpoints): see OutboundUrlPolicy. */
    public static class OutboundUrls {
        private boolean allowHttp;
        private boolean allowPrivateAddresses;
        public boolean isAllowHttp() { return allowHttp; }
        public void setAllowHttp(boolean allowHttp) { this.allowHttp = allowHttp; }
        public boolean isAllowPrivateAddresses() { return allowPrivateAddresses; }
        public void setAllowPrivateAddresses(boolean allowPrivateAddresses) { this.allowPrivateAddresses = allowPrivateAddresses; }
    }

    public static class User {
        private String name;
        private String password = "";
        private List<String> roles = new ArrayList<>();
        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public List<String> getRoles() { return roles; }
        public void setRoles(List<String> roles) { this.roles = roles; }
    }
}
