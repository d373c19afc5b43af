package io.carebus.sftp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;

import io.carebus.config.SftpClientSecurity;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which host keys Carebus accepts from an SFTP server, and how it signs in there: checked at start-up, so a
 * connection that could not verify its server is never made. A server is known by the known_hosts file or the host
 * keys configured for it, or, for the embedded drop box, by the key the engine itself generated. The accepted keys
 * of each server go to a known_hosts file of its own under {@code <data-dir>/sftp-known-hosts/}, which the sftp
 * endpoint checks with strictHostKeyChecking=yes (RFC 4251 §4.1: the client must verify the server's host key,
 * else a man in the middle can read and change the session).
 */
public class SftpHostTrust {

    private static final Logger log = LoggerFactory.getLogger(SftpHostTrust.class);

    private final Path knownHostsDir;

    public SftpHostTrust(Path knownHostsDir) {
        this.knownHostsDir = knownHostsDir;
    }

    /**
     * A server Carebus does not run: its host keys come from {@code settings}; none, with strict checking on,
     * refuses the start.
     *
     * @param name        names the known_hosts file written for it (e.g. the partner)
     * @param description who the server is, for messages (e.g. "partner payer's SFTP host")
     * @param property    the configuration prefix of {@code settings}, for messages
     */
    public SftpClientOptions configured(String name, String description, String property, String host, int port,
                                        SftpClientSecurity settings) {
        String privateKey = privateKey(description, property, settings);
        String passphrase = nullToEmpty(settings.getPrivateKeyPassphrase());
        if (!settings.isStrictHostKeyChecking()) {
            log.warn("SFTP to {} ({}:{}) does not check the server's host key ({}.strict-host-key-checking=false): "
                    + "a machine in the middle could read or change what is exchanged. For test set-ups only.",
                    description, host, port, property);
            return new SftpClientOptions("no", "", privateKey, passphrase);
        }
        String file = nullToEmpty(settings.getKnownHostsFile()).strip();
        List<String> keys = settings.getHostKeys() == null ? List.of()
                : settings.getHostKeys().stream().filter(k -> k != null && !k.isBlank()).toList();
        if (file.isEmpty() && keys.isEmpty()) {
            throw new IllegalStateException("SFTP to " + description + " (" + host + ":" + port + ") has no host key "
                    + "to check the server against: set " + property + ".host-keys (the server's public host key, "
                    + "e.g. from `ssh-keyscan -p " + port + " " + host + "`, checked with the partner) or "
                    + property + ".known-hosts-file; or, for a test set-up only, " + property
                    + ".strict-host-key-checking=false");
        }
        if (!file.isEmpty() && !Files.isReadable(Path.of(file))) {
            throw new IllegalStateException("SFTP to " + description + ": the known_hosts file " + file + " ("
                    + property + ".known-hosts-file) cannot be read");
        }
        if (keys.isEmpty()) {
            return new SftpClientOptions("yes", Path.of(file).toAbsolutePath().toString(), privateKey, passphrase);
        }
        List<PublicKey> hostKeys = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            hostKeys.add(parse(keys.get(i), description, property + ".host-keys[" + i + "]"));
        }
        List<String> extra = new ArrayList<>();
        if (!file.isEmpty()) {
            try {
                extra.addAll(Files.readAllLines(Path.of(file), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Reading " + file + " (" + property + ".known-hosts-file)", e);
            }
        }
        return new SftpClientOptions("yes", write(name, host, port, hostKeys, extra).toString(), privateKey,
                passphrase);
    }

    /** The embedded drop box: the engine knows its server's host keys, so they are pinned without configuration. */
    public SftpClientOptions pinned(String name, String host, int port, List<PublicKey> hostKeys,
                                    SftpClientSecurity signIn, String property) {
        return new SftpClientOptions("yes", write(name, host, port, hostKeys, List.of()).toString(),
                privateKey("the embedded SFTP drop box", property, signIn),
                nullToEmpty(signIn.getPrivateKeyPassphrase()));
    }

    /**
     * One known_hosts line per key (OpenSSH sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): the host name, in brackets with
     * the port when that is not 22 (the form JSch looks up), the key type and the base64 key.
     */
    static String knownHostsLine(String host, int port, PublicKey key) {
        String pattern = port == 22 ? host : "[" + host + "]:" + port;
        return pattern + " " + PublicKeyEntry.toString(key);
    }

    private Path write(String name, String host, int port, List<PublicKey> keys, List<String> extra) {
        List<String> lines = new ArrayList<>();
        keys.forEach(k -> lines.add(knownHostsLine(host, port, k)));
        lines.addAll(extra);
        try {
            Files.createDirectories(knownHostsDir);
            Path file = knownHostsDir.resolve(name + ".known_hosts");
            Files.write(file, lines, StandardCharsets.UTF_8);
            return file.toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("Writing the SFTP known_hosts file of " + name + " in " + knownHostsDir, e);
        }
    }

    /** A public key in OpenSSH form; a leading host name (ssh-keyscan's output) is allowed and not used. */
    private static PublicKey parse(String line, String description, String property) {
        try {
            AuthorizedKeyEntry entry = AuthorizedKeyEntry.parseAuthorizedKeyEntry(line.strip());
            PublicKey key = entry == null ? null : entry.resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
            if (key == null) {
                throw new IllegalStateException("SFTP to " + description + ": " + property
                        + " is not an OpenSSH public key (e.g. \"ssh-ed25519 AAAA...\")");
            }
            return key;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("SFTP to " + description + ": " + property
                    + " is not an OpenSSH public key (e.g. \"ssh-ed25519 AAAA...\"): " + e.getMessage(), e);
        }
    }

    private static String privateKey(String description, String property, SftpClientSecurity settings) {
        String file = nullToEmpty(settings.getPrivateKeyFile()).strip();
        if (file.isEmpty()) {
            return "";
        }
        if (!Files.isReadable(Path.of(file))) {
            throw new IllegalStateException("SFTP to " + description + ": the private key file " + file + " ("
                    + property + ".private-key-file) cannot be read");
        }
        return Path.of(file).toAbsolutePath().toString();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }
}
