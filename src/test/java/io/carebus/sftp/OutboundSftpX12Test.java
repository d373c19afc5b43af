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

/**
 * outbound-sftp-x12 to a partner's own SFTP host (sftp.outbound in the partner's configuration): the claim goes over
 * real SSH to a second SFTP server, the "payer"'s, not to the drop box.
 */
class OutboundSftpX12Test extends EngineTestBase {

    @Autowired
    TestRestTemplate http;
    @Autowired
    SftpConfig.ConsumerLogin dropBox;

    @Test
    void aClaimForAPartnerWithItsOwnHostArrivesThere() throws java.io.IOException {
        String bundle = io.carebus.x12.fhir.Fhir.json(io.carebus.x12.X12WriterTestBundles.claim());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/fhir+json"));
        @SuppressWarnings("unchecked")
        Map<String, Object> sent = http.withBasicAuth("analyst", ANALYST_PASSWORD).postForObject(
                "/api/x12/send/837P?partner=payer", new HttpEntity<>(bundle, headers), Map.class);
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

    private static String read(Path file) throws java.io.IOException {
        return Files.readString(file, StandardCharsets.ISO_8859_1);
    }
}
