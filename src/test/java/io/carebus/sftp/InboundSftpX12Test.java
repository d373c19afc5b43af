package io.carebus.sftp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The clearinghouse drop box over real SSH: a partner logs in to the embedded SFTP server, uploads X12 to inbound/
 * and finds the 999 / TA1 in outbound/ and its file in archive/ or error/; the same file or interchange twice is
 * not processed twice. And the X12 REST API an analyst tries files with.
 */
class InboundSftpX12Test extends EngineTestBase {

    static final Path CORPUS = Path.of("../shared/corpus/x12");
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
    void partnerUploadGetsA999AndTheFileIsArchived() throws Exception {
        String claim = uniqueInterchange(read("837_005010X222A2/demo.example1.837"), "000000101");
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            // written under a temporary name, then renamed: the consumer never sees a half-written file
            upload(sftp, "inbound/claim-101.837.part", claim);
            sftp.rename("inbound/claim-101.837.part", "inbound/claim-101.837");
            String ack = awaitFile(sftp, "outbound/claim-101.837.ack");
            assertThat(ack).contains("ST*999*", "AK2*837*0021*005010X222A2~", "IK5*A~", "AK9*A*1*1*1~");
            awaitListed(sftp, "archive", "claim-101.837");
            assertThat(names(sftp, "inbound")).doesNotContain("claim-101.837");

            // the same bytes again, under another name: not processed, no second answer
            upload(sftp, "inbound/claim-101-again.837", claim);
            awaitListed(sftp, "archive", "claim-101-again.837");
            assertThat(names(sftp, "outbound")).doesNotContain("claim-101-again.837.ack");

            // the same interchange (sender + ISA13) in other bytes: TA1 025 duplicate, not processed twice
            upload(sftp, "inbound/claim-101-copy.837", claim + "\n");
            assertThat(awaitFile(sftp, "outbound/claim-101-copy.837.ack")).contains("TA1*000000101*", "*R*025~")
                    .doesNotContain("ST*999");
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM journal_message WHERE channel = 'sftp-x12' "
                + "AND control_id = '000000101'", Integer.class)).isEqualTo(2);
        // the accepted interchange went through the ingress queue and the transform stage (one claim)
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForObject(
                "SELECT count(*) FROM journal_message WHERE channel = 'sftp-x12' AND control_id = '000000101' "
                        + "AND status = 'transformed'", Integer.class)).isEqualTo(1));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM journal_message WHERE channel = 'sftp-x12' "
                + "AND control_id = '000000101' AND status = 'duplicate'", Integer.class)).isEqualTo(1);
    }

    @Test
    void rejectedFileGoesToErrorWithItsRejection() throws Exception {
        String broken = uniqueInterchange(read("837_005010X222A2/demo.example1.837"), "000000102")
                .replace("DMG*D8*19730501*M~", "DMG*D8*19730501*X~");
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "inbound/claim-102.837", broken);
            assertThat(awaitFile(sftp, "outbound/claim-102.837.ack")).contains("IK4*3*1068*7*X~", "IK5*R*5~",
                    "AK9*R*1*1*0~");
            awaitListed(sftp, "error", "claim-102.837");
        }
    }

    @Test
    void anInterchangeFromAnotherSenderGetsATa1AndGoesToError() throws Exception {
        String claim = uniqueInterchange(read("837_005010X222A2/demo.example1.837"), "000000103");
        // X12 5010 TA1 TA105 006: Invalid Interchange Sender ID (ISA06 is not the clearinghouse's)
        String otherId = claim.replace("*" + CLEARINGHOUSE_ISA + "*", "*ZZ*SOMEONEELSE    *");
        // X12 5010 TA1 TA105 005: Invalid Interchange ID Qualifier for Sender (ISA05 is not the clearinghouse's)
        String otherQualifier = uniqueInterchange(read("837_005010X222A2/demo.example1.837"), "000000104")
                .replace("*" + CLEARINGHOUSE_ISA + "*", "*01*CLEARINGHOUSE  *");
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "inbound/claim-103.837", otherId);
            upload(sftp, "inbound/claim-104.837", otherQualifier);
            assertThat(awaitFile(sftp, "outbound/claim-103.837.ack")).contains("TA1*000000103*131031*1147*R*006~")
                    .doesNotContain("ST*999");
            assertThat(awaitFile(sftp, "outbound/claim-104.837.ack")).contains("TA1*000000104*131031*1147*R*005~")
                    .doesNotContain("ST*999");
            awaitListed(sftp, "error", "claim-103.837");
            awaitListed(sftp, "error", "claim-104.837");
        }
        // journaled as rejected, never on the ingress queue
        assertThat(jdbc.queryForList("SELECT status FROM journal_message WHERE channel = 'sftp-x12' "
                + "AND control_id IN ('000000103', '000000104')", String.class)).containsOnly("rejected");
    }

    @Test
    void inOneFileTheForeignInterchangeIsAnsweredAndOnlyThePartnersIsProcessed() throws Exception {
        String sample = read("837_005010X222A2/demo.example1.837");
        String own = uniqueInterchange(sample, "000000105");
        String foreign = uniqueInterchange(sample, "000000106").replace("*" + CLEARINGHOUSE_ISA + "*",
                "*ZZ*SOMEONEELSE    *");
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "inbound/claims-105.837", own + foreign);
            assertThat(awaitFile(sftp, "outbound/claims-105.837.ack")).contains("AK9*A*1*1*1~",
                    "TA1*000000106*131031*1147*R*006~");
            awaitListed(sftp, "error", "claims-105.837");
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(jdbc.queryForList(
                "SELECT control_id || ' ' || status FROM journal_message WHERE channel = 'sftp-x12' "
                        + "AND control_id IN ('000000105', '000000106') ORDER BY control_id", String.class))
                .containsExactly("000000105 transformed", "000000106 rejected"));
    }

    @Test
    void aFileThatIsNotX12GetsATa1AndGoesToError() throws Exception {
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            upload(sftp, "inbound/notes.txt", "this is not an interchange");
            assertThat(awaitFile(sftp, "outbound/notes.txt.ack")).contains("*ZZ*CLEARINGHOUSE  *", "*R*022~");
            awaitListed(sftp, "error", "notes.txt");
        }
    }

    /**
     * Every SFTP connection the engine makes checks the server's host key: the drop box's consumers and writers
     * against the embedded server's own key, pinned at start-up without configuration (files still flow, as the
     * other tests here show); the partners' own hosts against theirs.
     */
    @Test
    void everySftpConnectionChecksTheServersHostKey(@Autowired org.apache.camel.CamelContext camel,
                                                    @Autowired EmbeddedSftpServer embedded) throws Exception {
        List<org.apache.camel.component.file.remote.SftpEndpoint> endpoints = camel.getEndpoints().stream()
                .filter(e -> e instanceof org.apache.camel.component.file.remote.SftpEndpoint)
                .map(e -> (org.apache.camel.component.file.remote.SftpEndpoint) e).toList();
        assertThat(endpoints).hasSizeGreaterThanOrEqualTo(2 * 4);        // clearinghouse, payer, keyed, spoofed
        for (var endpoint : endpoints) {
            assertThat(endpoint.getConfiguration().getStrictHostKeyChecking()).as(endpoint.getEndpointUri())
                    .isEqualTo("yes");
            assertThat(endpoint.getConfiguration().isUseUserKnownHostsFile()).isFalse();
            assertThat(endpoint.getConfiguration().getKnownHostsFile()).as(endpoint.getEndpointUri()).isNotBlank();
        }
        var consumer = (org.apache.camel.component.file.remote.SftpEndpoint) camel
                .getRoute("inbound-sftp-x12-clearinghouse").getEndpoint();
        assertThat(Files.readAllLines(Path.of(consumer.getConfiguration().getKnownHostsFile()))).containsExactly(
                "[localhost]:" + SFTP_PORT + " "
                        + org.apache.sshd.common.config.keys.PublicKeyEntry.toString(embedded.hostKeys().get(0)));
    }

    @Test
    void partnersMayLogInWithTheirPublicKey() throws Exception {
        try (ClientSession session = dropBox.connect("clearinghouse")) {
            session.addPublicKeyIdentity(CLEARINGHOUSE_SFTP_KEY);
            session.auth().verify(10, TimeUnit.SECONDS);
            try (SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
                // jailed in its own home: inbound, outbound, archive, error
                assertThat(names(sftp, ".")).contains("inbound", "outbound", "archive", "error");
            }
        }
    }

    @Test
    void partnersCannotLogInWithAWrongPassword() {
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (ClientSession session = dropBox.connect("clearinghouse")) {
                session.addPasswordIdentity("wrong");
                session.auth().verify(10, TimeUnit.SECONDS);
            }
        })).isNotNull();
    }

    @Test
    void analystValidatesAFileOverHttp() throws IOException {
        ResponseEntity<String> ok = analyst().postForEntity("/api/x12/validate",
                x12(read("837_005010X222A2/demo.example1.837")), String.class);
        assertThat(ok.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(ok.getBody()).contains("AK9*A*1*1*1~");
        ResponseEntity<String> bad = analyst().postForEntity("/api/x12/validate",
                x12(read("837_005010X222A2/demo.example1.837").replace("IEA*1*000000907~", "IEA*1*000000908~")),
                String.class);
        assertThat(bad.getBody()).contains("TA1*000000907*131031*1147*R*001~");
        assertThat(http.postForEntity("/api/x12/validate", x12("ISA"), String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
    }

    @Test
    void analystTurnsARemittanceIntoFhirAndAClaimIntoX12() throws IOException {
        ResponseEntity<String> fhir = analyst().postForEntity("/api/x12/to-fhir",
                x12(read("835_005010X221A1/managed-care.835")), String.class);
        assertThat(fhir.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(fhir.getBody()).contains("\"resourceType\": \"ExplanationOfBenefit\"",
                "\"resourceType\": \"PaymentReconciliation\"");
        ResponseEntity<String> unsupported = analyst().postForEntity("/api/x12/to-fhir",
                x12(read("837_005010X222A2/demo.example1.837")), String.class);
        assertThat(unsupported.getStatusCode()).isEqualTo(HttpStatus.UNPROCESSABLE_ENTITY);

        String bundle = io.carebus.x12.fhir.Fhir.json(io.carebus.x12.X12WriterTestBundles.claim());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/fhir+json"));
        ResponseEntity<String> x12 = analyst().postForEntity("/api/fhir/to-x12/837P",
                new HttpEntity<>(bundle, headers), String.class);
        assertThat(x12.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(x12.getBody()).startsWith("ISA*00*").contains("*005010X222A1~", "CLM*PCN-1001*140*");
        // what was written validates clean
        assertThat(analyst().postForEntity("/api/x12/validate", x12(x12.getBody()), String.class).getBody())
                .contains("AK9*A*1*1*1~");
    }

    @Test
    void whatCarebusSendsIsSettledByThePartnersAcknowledgments() throws Exception {
        String bundle = io.carebus.x12.fhir.Fhir.json(io.carebus.x12.X12WriterTestBundles.claim());
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/fhir+json"));
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> first = analyst().postForObject("/api/x12/send/837P",
                new HttpEntity<>(bundle, headers), java.util.Map.class);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> second = analyst().postForObject("/api/x12/send/837P",
                new HttpEntity<>(bundle, headers), java.util.Map.class);
        String group = String.valueOf(first.get("groupControl"));
        String interchange2 = String.valueOf(second.get("interchangeControl"));
        assertThat(Long.parseLong(interchange2)).isGreaterThan(Long.parseLong(String.valueOf(
                first.get("interchangeControl"))));
        try (ClientSession session = login(); SftpClient sftp = SftpClientFactory.instance().createSftpClient(session)) {
            // the partner picks up the claims from its outbound/ folder on the drop box
            @SuppressWarnings("unchecked")
            String st02 = String.valueOf(((java.util.Map<String, Object>) ((List<?>) first.get("transactions"))
                    .get(0)).get("transactionControl"));
            assertThat(awaitFile(sftp, "outbound/" + first.get("fileName")))
                    .contains("ST*837*" + st02 + "*005010X222A1~");
            // and answers the first with a 999 rejecting it, the second with a TA1 rejecting its interchange
            String isa = "ISA*00*          *00*          *ZZ*CLEARINGHOUSE  *ZZ*CAREBUS        *261125*1200*^*00501*";
            upload(sftp, "inbound/ack-1.999", isa + "000000771*0*T*:~GS*FA*CLEARINGHOUSE*CAREBUS*20261125*1200*771*X*"
                    + "005010X231A1~ST*999*0001*005010X231A1~AK1*HC*" + group + "*005010X222A1~"
                    + "AK2*837*" + st02 + "*005010X222A1~IK3*CLM*20*2300*8~IK4*2*782*I12*140~IK5*R*5~AK9*R*1*1*0~"
                    + "SE*8*0001~GE*1*771~IEA*1*000000771~");
            upload(sftp, "inbound/ack-2.ta1", isa + "000000772*0*T*:~TA1*" + String.format("%09d",
                    Long.parseLong(interchange2)) + "*261125*1200*R*006~IEA*0*000000772~");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String statuses = analyst().getForObject("/api/x12/outbound?partner=clearinghouse", String.class);
                assertThat(statuses).contains("IK5 R 5: IK3 CLM #20 loop 2300 code 8; IK4 2 element 782 code I12",
                        "TA1 R 006");
            });
            awaitListed(sftp, "archive", "ack-1.999");
            // acknowledgments are not acknowledged
            assertThat(names(sftp, "outbound")).doesNotContain("ack-1.999.ack", "ack-2.ta1.ack");
        }
    }

    private TestRestTemplate analyst() {
        return http.withBasicAuth("analyst", ANALYST_PASSWORD);
    }

    static HttpEntity<byte[]> x12(String text) {
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.parseMediaType("application/edi-x12"));
        return new HttpEntity<>(text.getBytes(StandardCharsets.ISO_8859_1), headers);
    }

    static ClientSession login() throws IOException {
        return dropBox.login("clearinghouse", CLEARINGHOUSE_SFTP_PASSWORD);
    }

    static void upload(SftpClient sftp, String path, String content) throws IOException {
        try (OutputStream out = sftp.write(path)) {
            out.write(content.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    static String awaitFile(SftpClient sftp, String path) {
        return DropBoxClient.awaitFile(sftp, path, Duration.ofSeconds(30));
    }

    static void awaitListed(SftpClient sftp, String folder, String name) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> names(sftp, folder).contains(name));
    }

    static List<String> names(SftpClient sftp, String folder) throws IOException {
        List<String> names = new ArrayList<>();
        for (SftpClient.DirEntry e : sftp.readDir(folder)) {
            names.add(e.getFilename());
        }
        return names;
    }

    static String read(String file) throws IOException {
        return Files.readString(CORPUS.resolve(file), StandardCharsets.ISO_8859_1);
    }

    /**
     * The sample as the clearinghouse sends it (its ISA05/ISA06 from config/partners.yaml) with its own ISA13 /
     * IEA02, so each test's interchange is new to the engine.
     */
    static String uniqueInterchange(String x12, String control) {
        return x12.replace("*30*000000005      *", "*" + CLEARINGHOUSE_ISA + "*")
                .replace("*000000907*1*T*:~", "*" + control + "*1*T*:~").replace("IEA*1*000000907~",
                "IEA*1*" + control + "~");
    }

    /** The clearinghouse's ISA05*ISA06 (ISA06 space-padded to 15). */
    static final String CLEARINGHOUSE_ISA = "ZZ*CLEARINGHOUSE  ";
}
