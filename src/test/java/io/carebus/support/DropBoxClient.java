package io.carebus.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;

/** A trading partner's SSH client for the embedded SFTP drop box (real SSH, Apache MINA SSHD client). */
public final class DropBoxClient implements AutoCloseable {

    private final SshClient ssh = SshClient.setUpDefaultClient();
    private final int port;

    public DropBoxClient(int port) {
        this.port = port;
        ssh.start();
    }

    /** Signs in as a partner with its password. */
    public ClientSession login(String partner, String password) throws IOException {
        ClientSession session = ssh.connect(partner, "localhost", port).verify(10, TimeUnit.SECONDS).getSession();
        session.addPasswordIdentity(password);
        session.auth().verify(10, TimeUnit.SECONDS);
        return session;
    }

    /** An unauthenticated session, for tests of the sign-in itself. */
    public ClientSession connect(String partner) throws IOException {
        return ssh.connect(partner, "localhost", port).verify(10, TimeUnit.SECONDS).getSession();
    }

    /** Waits until the file can be read (the engine wrote it) and returns its content. */
    public static String awaitFile(SftpClient sftp, String path, Duration patience) {
        String[] content = new String[1];
        await().atMost(patience).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (var in = sftp.read(path)) {
                content[0] = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
        return content[0];
    }

    @Override
    public void close() throws IOException {
        ssh.stop();
    }
}
