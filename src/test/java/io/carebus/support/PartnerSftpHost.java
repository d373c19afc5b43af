package io.carebus.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.carebus.sftp.EmbeddedSftpServer;

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

    public static PartnerSftpHost start() {
        try {
            Path root = Files.createTempDirectory("partner-sftp-host-");
            Path home = root.resolve("home");
            Files.createDirectories(home.resolve("inbound"));
            EmbeddedSftpServer server = new EmbeddedSftpServer("127.0.0.1", 0, root.resolve("hostkey.ser"),
                    Map.of(USERNAME, new EmbeddedSftpServer.Account(USERNAME, PASSWORD, List.of(), home)));
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

    /** The folder files arrive in, as the partner sees it on its own disk. */
    public Path inbound() {
        return home.resolve("inbound");
    }
}
