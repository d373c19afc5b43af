package io.carebus.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;

import java.util.Map;

import io.carebus.support.DropBoxClient;
import io.carebus.support.EngineTestBase;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A file far larger than carebus.journal.inline-max-bytes over real SSH: streamed to a local work file, validated
 * from it, journaled as an encrypted file the row refers to, acknowledged, archived, and read back through the
 * journal API byte for byte.
 */
class InboundSftpLargeFileTest extends EngineTestBase {

    /** 30 MB by default; -Dcarebus.test.large-file-mb=1024 for a 1 GB run. */
    static final int TARGET_BYTES = Integer.getInteger("carebus.test.large-file-mb", 30) * 1024 * 1024;
    static DropBoxClient dropBox;

    @Autowired
    TestRestTemplate http;
    @Autowired
    JdbcTemplate jdbc;

    @BeforeAll
    static void sshClient() {
        dropBox = new DropBoxClient(SFTP_PORT);
    }

    @AfterAll
    static void stopClient() throws IOException {
        dropBox.close();
    }

    @Test
    void aThirtyMegabyteClaimFileIsArchivedAcknowledgedAndJournaledWhole() throws Exception {
        Path file = Files.createTempFile("claims-", ".837");
        int sets = LargeClaimFile.write(file, "000000301", TARGET_BYTES);
        String expectedHash = sha256(Files.newInputStream(file));
        try (ClientSession session = login();
             SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            try (InputStream in = Files.newInputStream(file);
                 OutputStream out = sftp.write("inbound/claims-301.837.part")) {
                in.transferTo(out);
            }
            sftp.rename("inbound/claims-301.837.part", "inbound/claims-301.837");
            String ack = awaitFile(sftp, "outbound/claims-301.837.ack");
            // X12 5010 999 AK9: every transaction set received and accepted
            assertThat(ack).contains("ST*999*", "AK9*A*" + sets + "*" + sets + "*" + sets + "~");
            InboundSftpX12Test.awaitListed(sftp, "archive", "claims-301.837");
        } finally {
            Files.deleteIfExists(file);
        }
        Map<String, Object> row = jdbc.queryForMap("SELECT id, size_bytes, content_ref, octet_length(content) AS inline "
                + "FROM journal_message WHERE channel = 'sftp-x12' AND control_id = '000000301'");
        assertThat(row.get("content_ref")).as("kept as an encrypted file").isNotNull();
        assertThat(((Number) row.get("inline")).intValue()).isZero();
        long id = ((Number) row.get("id")).longValue();
        String served = http.withBasicAuth("analyst", ANALYST_PASSWORD).execute("/api/journal/{id}/content",
                HttpMethod.GET, null, response -> sha256(response.getBody()), id);
        assertThat(served).isEqualTo(expectedHash);
        // the transform stage read it from the journal, streaming
        await().atMost(patience()).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT status FROM journal_message WHERE id = ?", String.class, id)).isEqualTo("transformed"));
    }

    static ClientSession login() throws IOException {
        return dropBox.login("clearinghouse", CLEARINGHOUSE_SFTP_PASSWORD);
    }

    static String awaitFile(SftpClient sftp, String path) {
        return DropBoxClient.awaitFile(sftp, path, patience());
    }

    /** Claims per transaction set, 1 by default; -Dcarebus.test.claims-per-set=50 for larger sets. */
    static final int CLAIMS_PER_SET = Integer.getInteger("carebus.test.claims-per-set", 1);

    /** How long to wait for a step: longer for a larger file (a second per 2 MB on top of half a minute). */
    static Duration patience() {
        return Duration.ofSeconds(30 + TARGET_BYTES / (2 * 1024 * 1024));
    }

    static String sha256(InputStream in) throws IOException {
        try (DigestInputStream digest = new DigestInputStream(in, MessageDigest.getInstance("SHA-256"))) {
            digest.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(digest.getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An 837P interchange of one group with as many copies of the corpus claim as fill {@code bytes}. */
    static final class LargeClaimFile {
        static int write(Path file, String interchangeControl, int bytes) throws IOException {
            String sample = InboundSftpX12Test.read("837_005010X222A2/demo.example1.837");
            String[] lines = sample.split("~\\s*");
            StringBuilder body = new StringBuilder();
            StringBuilder claim = new StringBuilder();
            for (String line : lines) {
                if (!line.startsWith("ISA") && !line.startsWith("GS*") && !line.startsWith("ST*")
                        && !line.startsWith("SE*") && !line.startsWith("GE*") && !line.startsWith("IEA")) {
                    body.append(line).append('~');
                    if (line.startsWith("CLM*") || claim.length() > 0) {
                        claim.append(line).append('~'); // the 2300 claim loop with its 2400 lines
                    }
                }
            }
            // more claims of the same patient per transaction set (2300 repeats up to 100): fewer, larger sets
            body.append(claim.toString().repeat(CLAIMS_PER_SET - 1));
            int segments = (int) body.chars().filter(c -> c == '~').count() + 2;
            String isa = lines[0].replace("*000000907*", "*" + interchangeControl + "*")
                    .replace("*30*000000005      *", "*" + InboundSftpX12Test.CLEARINGHOUSE_ISA + "*") + "~";
            int sets = 0;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
                long written = 0;
                written += put(out, isa + lines[1] + "~");
                while (written < bytes) {
                    sets++;
                    String st02 = String.format("%09d", sets);
                    written += put(out, "ST*837*" + st02 + "*005010X222A2~" + body + "SE*" + segments + "*" + st02
                            + "~\n");
                }
                put(out, "GE*" + sets + "*1~IEA*1*" + interchangeControl + "~\n");
            }
            return sets;
        }

        private static int put(OutputStream out, String s) throws IOException {
            byte[] b = s.getBytes(StandardCharsets.ISO_8859_1);
            out.write(b);
            return b.length;
        }
    }

}
