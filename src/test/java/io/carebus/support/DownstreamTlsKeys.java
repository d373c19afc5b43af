package io.carebus.support;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Key stores for TLS to downstream MLLP receivers, made fresh by the JDK's keytool: self-signed certificates of
 * receivers and of Carebus as a client, and the trust stores each side uses. All PKCS12 with {@link #PASSWORD}.
 * <ul>
 *   <li>{@code receiver}: a receiver named localhost / 127.0.0.1, trusted by Carebus</li>
 *   <li>{@code wrong-host}: a receiver named elsewhere.example, trusted by Carebus</li>
 *   <li>{@code stranger}: a receiver named localhost that Carebus does not trust</li>
 *   <li>{@code carebus}: Carebus's client certificate (mutual TLS), trusted by the receivers that ask for one</li>
 *   <li>{@code carebus-trust}: Carebus's trust store (receiver and wrong-host); {@code receiver-trust}: the
 *   receivers' (carebus)</li>
 * </ul>
 */
public final class DownstreamTlsKeys {

    public static final String PASSWORD = "downstream-tls-secret";
    private static final Path DIR = generate();

    private DownstreamTlsKeys() {
    }

    /** The PKCS12 file of one of the stores above, e.g. {@code store("carebus-trust")}. */
    public static Path store(String name) {
        return DIR.resolve(name + ".p12");
    }

    /** A TLS MLLP receiver with the certificate of {@code keys}, asking for a client certificate when told to. */
    public static DownstreamReceiver receiver(String keys, boolean requireClientCertificate) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(load(keys), PASSWORD.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(load("receiver-trust"));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
            server.setNeedClientAuth(requireClientCertificate);
            return new DownstreamReceiver(server);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore load(String name) throws IOException, GeneralSecurityException {
        return KeyStore.getInstance(store(name).toFile(), PASSWORD.toCharArray());
    }

    private static Path generate() {
        try {
            Path dir = Files.createTempDirectory("carebus-downstream-tls-");
            List<Process> keytools = new ArrayList<>();
            keytools.add(genkeypair(dir, "receiver", "localhost", "dns:localhost,ip:127.0.0.1"));
            keytools.add(genkeypair(dir, "wrong-host", "elsewhere.example", "dns:elsewhere.example"));
            keytools.add(genkeypair(dir, "stranger", "stranger.localhost", "dns:localhost,ip:127.0.0.1"));
            keytools.add(genkeypair(dir, "carebus", "carebus", "dns:carebus.example"));
            for (Process keytool : keytools) {
                String out = new String(keytool.getInputStream().readAllBytes());
                if (keytool.waitFor() != 0) {
                    throw new IllegalStateException("keytool failed: " + out);
                }
            }
            trustStore(dir, "carebus-trust", "receiver", "wrong-host");
            trustStore(dir, "receiver-trust", "carebus");
            return dir;
        } catch (IOException | InterruptedException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Process genkeypair(Path dir, String name, String commonName, String subjectAltNames)
            throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + commonName,
                "-ext", "SAN=" + subjectAltNames, "-validity", "2", "-keystore", name + ".p12", "-storetype", "PKCS12",
                "-storepass", PASSWORD).directory(dir.toFile()).redirectErrorStream(true).start();
    }

    /** A PKCS12 trust store holding the certificates of these key stores. */
    private static void trustStore(Path dir, String name, String... trusted) throws IOException, GeneralSecurityException {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        for (String alias : trusted) {
            KeyStore keys = KeyStore.getInstance(dir.resolve(alias + ".p12").toFile(), PASSWORD.toCharArray());
            trust.setCertificateEntry(alias, keys.getCertificate(alias));
        }
        try (OutputStream out = Files.newOutputStream(dir.resolve(name + ".p12"))) {
            trust.store(out, PASSWORD.toCharArray());
        }
    }
}
