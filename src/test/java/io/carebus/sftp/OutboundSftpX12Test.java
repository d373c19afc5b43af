package io.carebus.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.carebus.support.EngineTestBase;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * outbound-sftp-x12 to a partner's own SFTP host, with its host key checked (sftp.outbound in the partner's configuration): the claim goes over
 * real SSH to a second SFTP server, the "payer"'s, not to the drop box.
 */
@SuppressWarnings("rawtypes")
class OutboundSftpX12Test extends EngineTestBase {

    @Autowired
    TestRestTemplate http;
    @Autowired
    SftpConfig.ConsumerLogin dropBox;
    @Autowired
    JdbcTemplate jdbc;

    private ResponseEntity<Map> sendClaim(String partner) {
        String bundle = io.carebus.x12.fhir.Fhir.json(io.carebus.x12.X12WriterTestBundles.claim());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/fhir+json"));
        return http.withBasicAuth("analyst", ANALYST_PASSWORD).postForEntity(
                "/api/x12/send/837P?partner=" + partner, new HttpEntity<>(bundle, headers), Map.class);
    }

    /** The payer's host is known by its host key in the configuration (host-keys), and signed in to by password. */
    @Test
    void aClaimForAPartnerWithItsOwnHostArrivesThere() throws java.io.IOException {
        ResponseEntity<Map> response = sendClaim("payer");
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = response.getBody();
        String fileName = String.valueOf(sent.get("fileName"));
        Path arrived = PAYER_SFTP_HOST.inbound().resolve(fileName);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(arrived));
        String x12 = read(arrived);
        // X12 5010 ISA07/ISA08: addressed to the payer; whole (IEA at the end), never a partial upload
        assertThat(x12).startsWith("ISA*").contains("*ZZ*PAYER          *", "ST*837*", "*005010X222A1~")
                .contains("IEA*1*" + String.format("%09d", Long.parseLong(String.valueOf(
                        sent.get("interchangeControl")))) + "~");
        assertThat(PAYER_SFTP_HOST.inbound().toFile().list()).containsExactly(fileName);
        // not on the drop box
        assertThat(dropBox.root().resolve("payer/outbound").toFile().list()).isEmpty();
    }

    /**
     * The spoofed payer's address leads to a server whose host key is not the one configured (a machine in the
     * middle): Carebus does not sign in or upload, the caller is told, and the transaction set is marked failed.
     */
    @Test
    void aHostWhoseKeyIsNotTheConfiguredOneGetsNothing() {
        ResponseEntity<Map> response = sendClaim("spoofedpayer");
        assertThat(response.getStatusCode().value()).isEqualTo(502);
        assertThat(String.valueOf(response.getBody())).contains("was not delivered", "HostKey");
        assertThat(IMPOSTOR_SFTP_HOST.inbound().toFile().list()).isEmpty();
        assertThat(jdbc.queryForList("SELECT status || ' ' || reason FROM x12_outbound WHERE partner = 'spoofedpayer'",
                String.class)).singleElement().satisfies(row -> assertThat(row).startsWith("failed not delivered: ")
                .contains("HostKey"));
    }

    /** The keyed payer's host takes no password: Carebus signs in with its private key (passphrase-protected). */
    @Test
    void aPartnerHostThatTakesOnlyKeysGetsTheClaim() {
        ResponseEntity<Map> response = sendClaim("keyedpayer");
        assertThat(response.getStatusCode().value()).isEqualTo(200);
        String fileName = String.valueOf(response.getBody().get("fileName"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(KEYED_PAYER_SFTP_HOST.inbound().resolve(fileName)));
        assertThat(jdbc.queryForList("SELECT status FROM x12_outbound WHERE partner = 'keyedpayer'", String.class))
                .containsOnly("sent");
    }

    private static String read(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
