package io.carebus.hl7v2;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Mutual TLS on the MLLP listener ({@code carebus.mllp.tls.*}, client-auth REQUIRE): a client with a trusted
 * certificate is answered, a client without one never gets to send, plain TCP gets nothing, and a client that
 * never handshakes is closed. Keys and
 * certificates are made fresh by the JDK's keytool.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MllpTlsTest {

    private static final String PASSWORD = "tls-test-secret";
    private static final Path KEYS = keys();
    private static final int MLLP_PORT = freePort();

    @DynamicPropertySource
    static void tls(DynamicPropertyRegistry registry) throws IOException {
        registry.add("carebus.data-dir", () -> KEYS.resolve("data").toString());
        registry.add("carebus.mllp.port", () -> MLLP_PORT);
        registry.add("carebus.mllp.tls.enabled", () -> "true");
        registry.add("carebus.mllp.tls.key-store", () -> KEYS.resolve("server.p12").toString());
        registry.add("carebus.mllp.tls.key-store-password", () -> PASSWORD);
        registry.add("carebus.mllp.tls.trust-store", () -> KEYS.resolve("server-trust.p12").toString());
        registry.add("carebus.mllp.tls.trust-store-password", () -> PASSWORD);
        registry.add("carebus.mllp.tls.client-auth", () -> "REQUIRE");
        registry.add("carebus.mllp.tls.handshake-timeout-ms", () -> "1000");
        registry.add("carebus.sftp.embedded.port", () -> "0");
        registry.add("CAREBUS_ENGINEER_PASSWORD", () -> PASSWORD);
        registry.add("CAREBUS_ANALYST_PASSWORD", () -> PASSWORD);
    }

    @Test
    void aClientWithATrustedCertificateIsAcknowledged() throws Exception {
        try (MllpClient client = new MllpClient(tlsSocket(true))) {
            String ack = client.send("MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|TLS-1|P|2.5.1\r"
                    + "EVN|A01|20250101120000\rPID|1||T1^^^HOSP^MR||DOE^JANE\r");
            assertThat(field(ack, "MSA", 1)).isEqualTo("AA");
            assertThat(field(ack, "MSA", 2)).isEqualTo("TLS-1");                 // MSA-2 echoes MSH-10
        }
    }

    @Test
    void aClientWithoutACertificateIsRefusedInTheHandshake() throws Exception {
        assertThatThrownBy(() -> {
            try (MllpClient client = new MllpClient(tlsSocket(false))) {
                // TLS 1.3 reports a refused client certificate only on the first read
                client.send("MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|TLS-2|P|2.5.1\r");
            }
        }).isInstanceOf(IOException.class);
    }

    @Test
    void plainTcpGetsNoAcknowledgement() throws Exception {
        try (java.net.Socket plain = new java.net.Socket("localhost", MLLP_PORT)) {
            plain.setSoTimeout(10_000);
            MllpClient.writeFrame(plain.getOutputStream(),
                    "MSH|^~\\&|EHR|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|TLS-3|P|2.5.1\r".getBytes());
            InputStream in = plain.getInputStream();
            byte[] answer;
            try {
                answer = MllpClient.readFrame(in);
            } catch (IOException reset) {
                answer = null;
            }
            assertThat(answer).as("no ACK over plain TCP").isNull();
        }
    }

    @Test
    void aClientThatNeverHandshakesIsClosedAfterTheHandshakeTimeout() throws Exception {
        try (java.net.Socket silent = new java.net.Socket("localhost", MLLP_PORT)) {
            // carebus.mllp.tls.handshake-timeout-ms is 1 s here; without it the idle timeout (5 min) would apply
            silent.setSoTimeout(20_000);
            long start = System.nanoTime();
            try {
                // at most a TLS alert (content type 21) comes, then the end of the stream
                byte[] answer = silent.getInputStream().readAllBytes();
                assertThat(answer.length == 0 || answer[0] == 21).as("nothing but a TLS alert").isTrue();
            } catch (java.net.SocketTimeoutException stillOpen) {
                throw new AssertionError("the listener kept a connection that never handshook", stillOpen);
            } catch (IOException reset) {
                // closed with a reset: closed all the same
            }
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(15));
        }
    }

    private static SSLSocket tlsSocket(boolean withClientCertificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KEYS.resolve("client-trust.p12").toFile(), PASSWORD.toCharArray());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (withClientCertificate) {
            KeyStore key = KeyStore.getInstance(KEYS.resolve("client.p12").toFile(), PASSWORD.toCharArray());
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(key, PASSWORD.toCharArray());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", MLLP_PORT);
        socket.startHandshake();
        return socket;
    }

    /** A server and a client key pair, each trusting the other's self-signed certificate. */
    private static Path keys() {
        try {
            Path dir = Files.createTempDirectory("carebus-tls-");
            for (String who : List.of("server", "client")) {
                keytool(dir, "-genkeypair", "-alias", who, "-keyalg", "EC", "-groupname", "secp256r1",
                        "-dname", "CN=" + (who.equals("server") ? "localhost" : "ehr-client"),
                        "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2",
                        "-keystore", who + ".p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
                keytool(dir, "-exportcert", "-alias", who, "-keystore", who + ".p12", "-storepass", PASSWORD,
                        "-file", who + ".cer");
                String peer = who.equals("server") ? "client" : "server";
                keytool(dir, "-importcert", "-noprompt", "-alias", who, "-file", who + ".cer",
                        "-keystore", peer + "-trust.p12", "-storetype", "PKCS12", "-storepass", PASSWORD);
            }
            return dir;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("keytool " + args[0] + " failed: " + out);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
