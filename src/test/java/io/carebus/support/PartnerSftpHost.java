package io.carebus.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.carebus.sftp.EmbeddedSftpServer;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/**
 * A trading partner's own SFTP host, apart from the drop box: a second Apache MINA SSHD server on a free port with
 * one account, the one Carebus logs in with to deliver what it sends the partner (into {@code inbound/}).
 */
public final class PartnerSftpHost {

    public static final String USERNAME = "carebus";
    public static final String PASSWORD = "partner-host-test-secret";

    private final EmbeddedSftpServer server;
    private final Path home;

    private PartnerSftpHost(EmbeddedSftpServer server, Path home) {
        this.server = server;
        this.home = home;
    }

    /** A host where Carebus signs in with {@link #PASSWORD}. */
    public static PartnerSftpHost start() {
        return start(PASSWORD, List.of());
    }

    /**
     * A host where Carebus signs in with a password (none: keys only) or one of these public keys (authorized_keys
     * lines). Each host generates a host key of its own.
     */
    public static PartnerSftpHost start(String password, List<String> authorizedKeys) {
        try {
            Path root = Files.createTempDirectory("partner-sftp-host-");
            Path home = root.resolve("home");
            Files.createDirectories(home.resolve("inbound"));
            EmbeddedSftpServer server = new EmbeddedSftpServer("127.0.0.1", 0, root.resolve("hostkey.ser"),
                    Map.of(USERNAME, new EmbeddedSftpServer.Account(USERNAME, password, authorizedKeys, home)));
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
            return new PartnerSftpHost(server, home);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    /** The host's public key in OpenSSH form ("ecdsa-sha2-nistp256 AAAA..."), as a partner would publish it. */
    public String hostKey() {
        return PublicKeyEntry.toString(server.hostKeys().get(0));
    }

    /** A known_hosts file naming this host by 127.0.0.1 and its port. */
    public Path knownHostsFile() {
        try {
            Path file = Files.createTempFile("partner-known-hosts-", "");
            Files.writeString(file, "[127.0.0.1]:" + port() + " " + hostKey() + "\n");
            return file;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a client's private key as OpenSSH writes it (openssh-key-v1, AES-256-CTR with a bcrypt-derived key,
     * as {@code ssh-keygen -p} leaves it), for private-key-file.
     */
    public static Path privateKeyFile(java.security.KeyPair key, String passphrase) {
        try {
            Path file = Files.createTempFile("carebus-sftp-key-", "");
            OpenSSHKeyEncryptionContext encryption = new OpenSSHKeyEncryptionContext();
            encryption.setPassword(passphrase);
            encryption.setCipherName("AES");
            encryption.setCipherMode("CTR");
            encryption.setCipherType("256");
            try (var out = Files.newOutputStream(file)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "carebus", encryption, out);
            }
            return file;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The folder files arrive in, as the partner sees it on its own disk. */
    public Path inbound() {
        return home.resolve("inbound");
    }
}
