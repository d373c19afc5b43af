package io.carebus.sftp;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.carebus.config.CarebusProperties;
import io.carebus.config.SftpProperties;
import io.carebus.config.X12Properties;
import io.carebus.x12.intake.OutboundTracking;
import io.carebus.x12.intake.TradingPartner;
import io.carebus.x12.intake.X12Intake;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * The SFTP drop box: the embedded server (unless carebus.sftp.embedded.enabled=false) and one inbound-sftp-x12
 * consumer per trading partner, made from the route template in routes/inbound/inbound-sftp-x12.camel.yaml.
 */
@Configuration(proxyBeanMethods = false)
public class SftpConfig {

    private static final Logger log = LoggerFactory.getLogger(SftpConfig.class);

    /** The consumers' own credentials on the drop box. */
    public record ConsumerLogin(String host, int port, String username, String password, Path root) {
    }

    @Bean
    ConsumerLogin sftpConsumerLogin(SftpProperties sftp, CarebusProperties carebus) {
        String password = sftp.getPassword();
        if ((password == null || password.isBlank()) && sftp.getEmbedded().isEnabled()) {
            // the embedded server's own account: a fresh random password per start, never written anywhere
            byte[] random = new byte[24];
            new SecureRandom().nextBytes(random);
            password = HexFormat.of().formatHex(random);
        }
        Path root = Path.of(sftp.getRoot() == null || sftp.getRoot().isBlank()
                ? carebus.getDataDir() + "/sftp" : sftp.getRoot()).toAbsolutePath();
        return new ConsumerLogin(sftp.getHost(), sftp.getEmbedded().getPort(), sftp.getUsername(), password, root);
    }

    @Bean
    @ConditionalOnProperty(name = "carebus.sftp.embedded.enabled", havingValue = "true", matchIfMissing = true)
    EmbeddedSftpServer embeddedSftpServer(SftpProperties sftp, X12Properties x12, ConsumerLogin login) {
        Map<String, EmbeddedSftpServer.Account> accounts = new LinkedHashMap<>();
        accounts.put(login.username(), new EmbeddedSftpServer.Account(login.username(), login.password(),
                java.util.List.of(), login.root()));
        x12.getPartners().forEach((name, partner) -> {
            Path home = login.root().resolve(name);
            for (String folder : EmbeddedSftpServer.FOLDERS) {
                home.resolve(folder).toFile().mkdirs();
            }
            accounts.put(name, new EmbeddedSftpServer.Account(name, partner.getSftp().getPassword(),
                    partner.getSftp().getPublicKeys(), home));
        });
        String hostKey = sftp.getEmbedded().getHostKey();
        return new EmbeddedSftpServer("0.0.0.0", sftp.getEmbedded().getPort(),
                hostKey == null || hostKey.isBlank() ? login.root().resolve(".hostkey.ser") : Path.of(hostKey),
                accounts);
    }

    @Bean
    io.carebus.x12.intake.X12Canonical x12Canonical(io.carebus.x12.X12Service x12,
                                                     io.carebus.x12.fhir.X12ToFhir toFhir) {
        return new io.carebus.x12.intake.X12Canonical(x12, toFhir);
    }

    @Bean
    SftpX12Files sftpX12Files(X12Intake intake, io.carebus.x12.intake.X12Canonical canonical,
                              io.carebus.journal.Journal journal) {
        return new SftpX12Files(intake, canonical, journal);
    }

    @Bean
    OutboundX12 outboundX12(CamelContext camel, OutboundTracking tracking,
                            Map<String, TradingPartner> x12TradingPartners) {
        return new OutboundX12(camel.createProducerTemplate(), tracking, x12TradingPartners);
    }

    @Bean
    InboundSftpRoutes inboundSftpRoutes(CamelContext camel, X12Properties x12, SftpProperties sftp,
                                        ConsumerLogin login, ObjectProvider<EmbeddedSftpServer> server,
                                        CarebusProperties carebus) {
        Path workDir = (sftp.getWorkDir() == null || sftp.getWorkDir().isBlank()
                ? carebus.getDataDir().resolve("sftp-work") : Path.of(sftp.getWorkDir())).toAbsolutePath();
        SftpHostTrust trust = new SftpHostTrust(carebus.getDataDir().resolve("sftp-known-hosts").toAbsolutePath());
        // checked now, so a partner's host or an external drop box without a host key to check refuses the start
        Map<String, SftpClientOptions> partnerHosts = new LinkedHashMap<>();
        x12.getPartners().forEach((name, partner) -> {
            X12Properties.Outbound out = partner.getSftp().getOutbound();
            if (hasOwnHost(out)) {
                partnerHosts.put(name, trust.configured("partner-" + name, "partner " + name + "'s SFTP host",
                        "carebus.x12.partners." + name + ".sftp.outbound", out.getHost(), out.getPort(), out));
            }
        });
        SftpClientOptions externalDropBox = sftp.getEmbedded().isEnabled() ? null
                : trust.configured("drop-box", "the SFTP drop box", "carebus.sftp", login.host(), login.port(), sftp);
        return new InboundSftpRoutes(camel, x12, sftp, login, server, workDir, trust, partnerHosts, externalDropBox);
    }

    /** The partner's own SFTP host receives what Carebus sends it (sftp.outbound enabled with a host). */
    static boolean hasOwnHost(X12Properties.Outbound out) {
        return out.isEnabled() && out.getHost() != null && !out.getHost().isBlank();
    }

    static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Adds one consumer route per partner once the application (and the embedded server) is up. */
    public static class InboundSftpRoutes {
        private final CamelContext camel;
        private final X12Properties x12;
        private final SftpProperties sftp;
        private final ConsumerLogin login;
        private final ObjectProvider<EmbeddedSftpServer> server;
        private final Path workDir;
        private final SftpHostTrust trust;
        private final Map<String, SftpClientOptions> partnerHosts;
        private final SftpClientOptions externalDropBox;

        InboundSftpRoutes(CamelContext camel, X12Properties x12, SftpProperties sftp, ConsumerLogin login,
                          ObjectProvider<EmbeddedSftpServer> server, Path workDir, SftpHostTrust trust,
                          Map<String, SftpClientOptions> partnerHosts, SftpClientOptions externalDropBox) {
            this.workDir = workDir;
            this.trust = trust;
            this.partnerHosts = partnerHosts;
            this.externalDropBox = externalDropBox;
            this.camel = camel;
            this.x12 = x12;
            this.sftp = sftp;
            this.login = login;
            this.server = server;
        }

        @EventListener(ApplicationReadyEvent.class)
        public void addRoutes() {
            EmbeddedSftpServer embedded = server.getIfAvailable();
            int port = embedded != null ? embedded.port() : login.port();
            // the embedded server's own host key, pinned for the port it bound (known only now when 0 was configured)
            SftpClientOptions dropBox = embedded != null
                    ? trust.pinned("drop-box", login.host(), port, embedded.hostKeys(), sftp, "carebus.sftp")
                    : externalDropBox;
            for (String partner : x12.getPartners().keySet()) {
                TemplatedRouteBuilder.builder(camel, "inbound-sftp-x12")
                        .routeId("inbound-sftp-x12-" + partner)
                        .parameter("partner", partner)
                        .parameter("host", login.host())
                        .parameter("port", String.valueOf(port))
                        .parameter("username", login.username())
                        .parameter("password", login.password() == null ? "" : login.password())
                        .parameter("delay", String.valueOf(sftp.getPollDelayMs()))
                        .parameter("readLockMinAge", String.valueOf(sftp.getReadLockMinAgeMs()))
                        .parameter("readLockCheckInterval", String.valueOf(sftp.getReadLockCheckIntervalMs()))
                        .parameter("workDirectory", workDir.resolve(partner).toString())
                        .parameter("strictHostKeyChecking", dropBox.strictHostKeyChecking())
                        .parameter("knownHostsFile", dropBox.knownHostsFile())
                        .parameter("privateKeyFile", dropBox.privateKeyFile())
                        .parameter("privateKeyPassphrase", dropBox.privateKeyPassphrase())
                        .add();
                log.info("SFTP X12 consumer for partner {} on port {}", partner, port);
                X12Properties.Outbound out = x12.getPartners().get(partner).getSftp().getOutbound();
                boolean own = hasOwnHost(out);
                SftpClientOptions client = own ? partnerHosts.get(partner) : dropBox;
                // the partner's own SFTP host, else its outbound/ folder on the drop box
                TemplatedRouteBuilder.builder(camel, "outbound-sftp-x12")
                        .routeId("outbound-sftp-x12-" + partner)
                        .parameter("partner", partner)
                        .parameter("host", own ? out.getHost() : login.host())
                        .parameter("port", String.valueOf(own ? out.getPort() : port))
                        .parameter("username", own ? out.getUsername() : login.username())
                        .parameter("password", own ? nullToEmpty(out.getPassword()) : nullToEmpty(login.password()))
                        .parameter("directory", own ? out.getDirectory() : partner + "/outbound")
                        .parameter("strictHostKeyChecking", client.strictHostKeyChecking())
                        .parameter("knownHostsFile", client.knownHostsFile())
                        .parameter("privateKeyFile", client.privateKeyFile())
                        .parameter("privateKeyPassphrase", client.privateKeyPassphrase())
                        .add();
            }
        }
    }
}
