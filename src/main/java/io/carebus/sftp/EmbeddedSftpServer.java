package io.carebus.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The clearinghouse drop box: an SFTP server (Apache MINA SSHD) with one account per trading partner, each jailed in
 * its own home {@code <root>/<partner>} with inbound/, outbound/, archive/ and error/; plus Carebus's own account
 * whose home is the root, for the inbound consumers. SFTP only: no shell, no exec, no forwarding.
 */
public class EmbeddedSftpServer implements SmartLifecycle {

    public static final List<String> FOLDERS = List.of("inbound", "outbound", "archive", "error");
    private static final Logger log = LoggerFactory.getLogger(EmbeddedSftpServer.class);

    /** One login: a password (may be null) and public keys (may be empty). */
    public record Account(String username, String password, List<String> publicKeys, Path home) {
    }

    private final String host;
    private final int port;
    private final Path hostKey;
    private final Map<String, Account> accounts;
    private SshServer server;

    public EmbeddedSftpServer(String host, int port, Path hostKey, Map<String, Account> accounts) {
        this.host = host;
        this.port = port;
        this.hostKey = hostKey;
        this.accounts = accounts;
    }

    @Override
    public synchronized void start() {
        try {
            Files.createDirectories(hostKey.getParent());
            VirtualFileSystemFactory files = new VirtualFileSystemFactory();
            Map<String, List<PublicKey>> keys = new java.util.HashMap<>();
            for (Account account : accounts.values()) {
                Files.createDirectories(account.home());
                files.setUserHomeDir(account.username(), account.home());
                keys.put(account.username(), parse(account));
            }
            server = SshServer.setUpDefaultServer();
            server.setHost(host);
            server.setPort(port);
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
            server.setFileSystemFactory(files);
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setPasswordAuthenticator((username, password, session) -> {
                Account account = accounts.get(username);
                return account != null && account.password() != null && !account.password().isEmpty()
                        && java.security.MessageDigest.isEqual(account.password().getBytes(), password.getBytes());
            });
            server.setPublickeyAuthenticator((username, key, session) -> keys.getOrDefault(username, List.of())
                    .stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
            server.start();
            log.info("Embedded SFTP drop box on port {} with {} accounts", server.getPort(), accounts.size());
        } catch (IOException e) {
            throw new UncheckedIOException("Starting the embedded SFTP server failed", e);
        }
    }

    private static List<PublicKey> parse(Account account) throws IOException {
        List<PublicKey> out = new ArrayList<>();
        for (String line : account.publicKeys()) {
            try {
                out.add(AuthorizedKeyEntry.parseAuthorizedKeyEntry(line)
                        .resolvePublicKey(null, PublicKeyEntryResolver.IGNORING));
            } catch (GeneralSecurityException e) {
                throw new IOException("Unreadable public key for SFTP account " + account.username(), e);
            }
        }
        return out;
    }

    /** The server's public host keys (what its clients must find in their known_hosts). */
    public List<PublicKey> hostKeys() {
        if (server == null) {
            throw new IllegalStateException("The embedded SFTP server is not started");
        }
        List<PublicKey> keys = new ArrayList<>();
        try {
            for (java.security.KeyPair pair : server.getKeyPairProvider().loadKeys(null)) {
                keys.add(pair.getPublic());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the embedded SFTP server's host key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Reading the embedded SFTP server's host key", e);
        }
        return keys;
    }

    /** The port actually bound (the configured one, or the one picked when 0 was configured). */
    public int port() {
        return server == null ? port : server.getPort();
    }

    @Override
    public synchronized void stop() {
        if (server != null) {
            try {
                server.stop(true);
            } catch (IOException e) {
                log.warn("Stopping the embedded SFTP server: {}", e.getMessage());
            }
            server = null;
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isStarted();
    }

    /** Before Camel's consumers (which start in the default phase) and stopped after them. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 100;
    }
}
