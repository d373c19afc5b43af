package io.carebus.journal;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** The admin API over HTTP: roles, search by patient, audited content views, replay, retention. */
class JournalApiTest extends EngineTestBase {

    @Autowired
    TestRestTemplate http;
    @Autowired
    JournalRepository repository;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;
    @Autowired
    Journal journal;
    @Autowired
    JournalKeys keys;

    @Test
    void theStatusRankInJavaIsTheDatabaseOne() {
        // the status writer coalesces a batch by MessageStatus.rank(); the UPDATE guards with journal_status_rank
        for (io.carebus.journal.MessageStatus status : io.carebus.journal.MessageStatus.values()) {
            assertThat(jdbc.queryForObject("SELECT journal_status_rank(?)", Integer.class, status.dbValue()))
                    .as(status.name()).isEqualTo(status.rank());
        }
    }

    @Test
    void aStatusBatchAdvancesRowsInEveryPartitionUnderTheRankGuard() {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        java.time.Instant old = now.minus(Duration.ofDays(5)); // outside the prepared days: the default partition
        long queued = insertRow(now, "queued");
        long delivered = insertRow(now, "delivered");
        long oldQueued = insertRow(old, "queued");

        repository.updateStatusBatch(List.of(
                new StatusChange(queued, now, MessageStatus.ROUTED, null),
                new StatusChange(delivered, now, MessageStatus.ROUTED, null),      // overtaken: stays delivered
                new StatusChange(oldQueued, old, MessageStatus.ERROR, "timeout")));
        assertThat(statusAndError(queued)).containsExactly("routed", null);
        assertThat(statusAndError(delivered)).containsExactly("delivered", null);
        assertThat(statusAndError(oldQueued)).containsExactly("error", "timeout");

        repository.updateStatusBatch(List.of(new StatusChange(oldQueued, old, MessageStatus.DELIVERED, null)));
        assertThat(statusAndError(oldQueued)).containsExactly("delivered", "timeout"); // the last error is kept
    }

    @Test
    void deliveryRecordsAreFoundForAWholeBatchInEveryPartitionWhicheverWayTheyAreCommitted() {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        java.time.Instant old = now.minus(Duration.ofDays(5)); // the default partition
        long deliveredNow = insertRow(now, "routed");
        long deliveredOld = insertRow(old, "routed");
        long failed = insertRow(now, "routed");
        long elsewhere = insertRow(now, "routed");
        long untouched = insertRow(now, "routed");
        JournalRepository durable = new JournalRepository(jdbc, DeliveryCommit.DURABLE);
        JournalRepository async = new JournalRepository(jdbc, DeliveryCommit.ASYNC);

        async.recordDelivery(deliveredNow, now, "lab", MessageStatus.DELIVERED, null);
        durable.recordDelivery(deliveredOld, old, "lab", MessageStatus.DELIVERED, null);
        async.recordDelivery(failed, now, "lab", MessageStatus.ERROR, "timeout");
        durable.recordDelivery(elsewhere, now, "billing", MessageStatus.DELIVERED, null);

        assertThat(async.deliveredAmong(List.of(deliveredNow, deliveredOld, failed, elsewhere, untouched),
                List.of(now, old, now, now, now), "lab")).containsExactlyInAnyOrder(deliveredNow, deliveredOld);
        assertThat(async.wasDelivered(deliveredNow, now, "lab")).isTrue();
        assertThat(async.wasDelivered(failed, now, "lab")).isFalse();

        // a retry that succeeds replaces the error, counting the attempt
        async.recordDelivery(failed, now, "lab", MessageStatus.DELIVERED, null);
        assertThat(jdbc.queryForObject("SELECT attempts FROM journal_delivery WHERE message_id = ?", Integer.class,
                failed)).isEqualTo(2);
        assertThat(async.deliveredAmong(List.of(failed), List.of(now), "lab")).containsExactly(failed);
    }

    @Test
    void aSearchForDeadOrErrorFindsMessagesDeliveredElsewhere() {
        java.time.Instant now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
        String controlId = "DD" + UUID.randomUUID().toString().substring(0, 10);
        // the row says delivered (lab took it), but billing gave up on it / is still retrying it
        long deadAtBilling = insertRow(now, "delivered", controlId);
        long failingAtBilling = insertRow(now, "delivered", controlId);
        long deliveredEverywhere = insertRow(now, "delivered", controlId);
        long deadBeforeRouting = insertRow(now, "dead", controlId);          // a stage gave up: no destination yet
        for (long id : List.of(deadAtBilling, failingAtBilling, deliveredEverywhere)) {
            repository.recordDelivery(id, now, "lab", MessageStatus.DELIVERED, null);
        }
        repository.recordDelivery(deadAtBilling, now, "billing", MessageStatus.DEAD, "AckRejectedException: AR");
        repository.recordDelivery(failingAtBilling, now, "billing", MessageStatus.ERROR, "timeout");
        repository.recordDelivery(deliveredEverywhere, now, "billing", MessageStatus.DELIVERED, null);

        assertThat(searchIds(controlId, "dead")).containsExactlyInAnyOrder(deadAtBilling, deadBeforeRouting);
        assertThat(searchIds(controlId, "error")).containsExactly(failingAtBilling);
        assertThat(searchIds(controlId, "delivered"))
                .containsExactlyInAnyOrder(deadAtBilling, failingAtBilling, deliveredEverywhere);

        // replayed from the dead letters and delivered: no longer dead
        repository.recordDelivery(deadAtBilling, now, "billing", MessageStatus.DELIVERED, null);
        assertThat(searchIds(controlId, "dead")).containsExactly(deadBeforeRouting);
    }

    /** The admin API's search, as an analyst calls it: the journal ids found. */
    private List<Long> searchIds(String controlId, String status) {
        ResponseEntity<List<Map<String, Object>>> found = analyst().exchange(
                "/api/journal?controlId={c}&status={s}", HttpMethod.GET, null,
                new ParameterizedTypeReference<>() { }, controlId, status);
        assertThat(found.getStatusCode()).isEqualTo(HttpStatus.OK);
        return found.getBody().stream().map(row -> ((Number) row.get("id")).longValue()).toList();
    }

    private long insertRow(java.time.Instant receivedAt, String status, String controlId) {
        return jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, status, size_bytes, content, control_id)
                VALUES (?, 'test', ?, 1, decode('00', 'hex'), ?) RETURNING id""", Long.class,
                java.sql.Timestamp.from(receivedAt), status, controlId);
    }

    private long insertRow(java.time.Instant receivedAt, String status) {
        return jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, status, size_bytes, content)
                VALUES (?, 'test', ?, 1, decode('00', 'hex')) RETURNING id""", Long.class,
                java.sql.Timestamp.from(receivedAt), status);
    }

    private List<String> statusAndError(long id) {
        return jdbc.queryForObject("SELECT status, error FROM journal_message WHERE id = ?",
                (rs, i) -> java.util.Arrays.asList(rs.getString(1), rs.getString(2)), id);
    }

    private TestRestTemplate analyst() {
        return http.withBasicAuth("analyst", ANALYST_PASSWORD);
    }

    @Test
    void patientDataNeedsASignedInUser() {
        assertThat(http.getForEntity("/api/journal", String.class).getStatusCode()).isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("analyst", "wrong").getForEntity("/api/journal", String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.getForEntity("/actuator/health", String.class).getStatusCode()).isEqualTo(HttpStatus.OK);
    }

    @Test
    void analystsCannotRunEngineerMaintenance() {
        assertThat(analyst().postForEntity("/api/admin/journal/retention", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.FORBIDDEN);
        assertThat(http.withBasicAuth("engineer", ENGINEER_PASSWORD)
                .postForEntity("/api/admin/journal/retention", null, String.class).getStatusCode())
                .isEqualTo(HttpStatus.OK);
    }

    @Test
    void searchByPatientViewAuditedAndReplay() throws Exception {
        String controlId = "API" + UUID.randomUUID().toString().substring(0, 10);
        String patient = "MRN-" + controlId;
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, patient)), "MSA", 1)).isEqualTo("AA");
        }
        ResponseEntity<List<Map<String, Object>>> found = analyst().exchange(
                "/api/journal?patientId={p}&patientAuthority=HOSP", HttpMethod.GET, null,
                new ParameterizedTypeReference<>() { }, patient);
        assertThat(found.getBody()).singleElement().satisfies(row -> assertThat(row.get("controlId")).isEqualTo(controlId));
        long id = ((Number) found.getBody().get(0).get("id")).longValue();

        String content = analyst().getForObject("/api/journal/{id}/content", String.class, id);
        assertThat(content).contains(patient).startsWith("MSH|");
        assertThat(repository.auditTrail(id)).singleElement().satisfies(a -> {
            assertThat(a.username()).isEqualTo("analyst");
            assertThat(a.action()).isEqualTo("view-content");
        });

        await().atMost(Duration.ofSeconds(20)).until(() -> DOWNSTREAM.controlIds().contains(controlId));
        Map<?, ?> replayed = analyst().postForObject("/api/journal/{id}/replay", null, Map.class, id);
        long newId = ((Number) replayed.get("journalId")).longValue();
        await().atMost(Duration.ofSeconds(20)).until(() ->
                DOWNSTREAM.controlIds().stream().filter(controlId::equals).count() == 2);   // replay is not a duplicate
        await().atMost(Duration.ofSeconds(10)).until(() -> "delivered".equals(repository.find(newId).orElseThrow().status()));
        assertThat(repository.find(newId).orElseThrow().replayOf()).isEqualTo(id);
        assertThat(analyst().getForEntity("/api/journal/999999999", String.class).getStatusCode())
                .isEqualTo(HttpStatus.NOT_FOUND);
    }
    @Test
    @SuppressWarnings("rawtypes")
    void aMessageRejectedAtIntakeIsNotReplayedAndOneWhoseHeaderIsRefusedIsABadRequest() throws Exception {
        String controlId = "REJ" + UUID.randomUUID().toString().substring(0, 10);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "P-REJ").replace("|2.5.1\r", "|2.9\r")), "MSA", 1))
                    .isEqualTo("AR");
        }
        JournalSearch byControlId = new JournalSearch(null, null, null, controlId, null, null, null, null, 10);
        long rejected = repository.search(byControlId).get(0).id();
        ResponseEntity<Map> answer = analyst().postForEntity("/api/journal/{id}/replay", null, Map.class, rejected);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat((String) answer.getBody().get("error")).contains("rejected");
        assertThat(repository.search(byControlId)).hasSize(1);                 // no replay row

        // among many, a refused id is answered on its own and the others are replayed
        long accepted = acceptedMessage();
        ResponseEntity<List<Map<String, Object>>> many = analyst().exchange("/api/journal/replay", HttpMethod.POST,
                new org.springframework.http.HttpEntity<>(Map.of("ids", List.of(rejected, accepted, 999999999L))),
                new ParameterizedTypeReference<>() { });
        assertThat(many.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(many.getBody()).hasSize(3);
        assertThat((String) many.getBody().get(0).get("error")).contains("rejected");
        assertThat(((Number) many.getBody().get(1).get("journalId")).longValue()).isPositive();
        assertThat(many.getBody().get(2)).containsKey("error").doesNotContainKey("journalId");

        // journaled before MSH-18 ISO-2022-CN (read, never written, by Java) was refused at intake
        String olderId = "OLD" + UUID.randomUUID().toString().substring(0, 10);
        byte[] raw = adt(olderId, "P-OLD").replace("|2.5.1\r", "|2.5.1||||||ISO-2022-CN\r")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        long stored = journal.store(new Journal.Metadata(io.carebus.hl7v2.Hl7v2Intake.CHANNEL, "EHR^HOSP",
                "CAREBUS^PMS", "ADT", "A01", olderId, "2.5.1", null), raw, Journal.now(), MessageStatus.ERROR,
                "no acknowledgement", null);
        answer = analyst().postForEntity("/api/journal/{id}/replay", null, Map.class, stored);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat((String) answer.getBody().get("error")).contains("MSH-18");
    }

    @Test
    @SuppressWarnings("rawtypes")
    void contentOfAnEarlierFormatIsShownAndContentNoConfiguredKeyOpensIsAClearConflict() throws Exception {
        java.time.Instant now = Journal.now();
        String olderId = "FMT" + UUID.randomUUID().toString().substring(0, 10);
        long older = insertSealed(now, olderId,
                ContentCipherTest.sealedWithoutKeyId(keys.contentKey(), adt(olderId, "P-FMT").getBytes()));
        assertThat(analyst().getForObject("/api/journal/{id}/content", String.class, older)).startsWith("MSH|");

        // sealed with a key that has since been retired (neither CAREBUS_JOURNAL_KEY nor a previous key)
        byte[] retired = ContentCipherTest.key(42);
        String retiredId = "RET" + UUID.randomUUID().toString().substring(0, 10);
        long sealed = insertSealed(now, retiredId, new ContentCipher(retired).encrypt(adt(retiredId, "P-RET").getBytes()));
        String keyId = ContentKeyRing.of(retired).ids().get(0);

        ResponseEntity<String> view = analyst().getForEntity("/api/journal/{id}/content", String.class, sealed);
        assertThat(view.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat(view.getBody()).contains("\"error\"", keyId, "CAREBUS_JOURNAL_PREVIOUS_KEYS");
        assertThat(repository.auditTrail(sealed)).isEmpty();                       // nothing was shown

        ResponseEntity<Map> replayed = analyst().postForEntity("/api/journal/{id}/replay", null, Map.class, sealed);
        assertThat(replayed.getStatusCode()).isEqualTo(HttpStatus.CONFLICT);
        assertThat((String) replayed.getBody().get("error")).contains(keyId);
        ResponseEntity<List<Map<String, Object>>> many = analyst().exchange("/api/journal/replay", HttpMethod.POST,
                new org.springframework.http.HttpEntity<>(Map.of("ids", List.of(sealed, older))),
                new ParameterizedTypeReference<>() { });
        assertThat(many.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((String) many.getBody().get(0).get("error")).contains(keyId);
        assertThat(many.getBody().get(1)).containsKey("journalId");
    }

    @Test
    @SuppressWarnings("rawtypes")
    void contentWhoseFileIsMissingOrUnreadableIsAClearServerErrorForViewAndReplay() throws Exception {
        java.time.Instant now = Journal.now();
        String day = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd").format(now.atZone(java.time.ZoneOffset.UTC));
        String missingFile = day + "/" + UUID.randomUUID() + ".enc";
        long missing = insertInFile(now, "MIS" + UUID.randomUUID().toString().substring(0, 10), missingFile);
        String garbledFile = day + "/" + UUID.randomUUID() + ".enc";
        java.nio.file.Path garbled = contentDir().resolve(garbledFile);
        java.nio.file.Files.createDirectories(garbled.getParent());
        java.nio.file.Files.write(garbled, "not journal content".getBytes());
        long unreadable = insertInFile(now, "GAR" + UUID.randomUUID().toString().substring(0, 10), garbledFile);

        ResponseEntity<String> view = analyst().getForEntity("/api/journal/{id}/content", String.class, missing);
        assertThat(view.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        Map<?, ?> problem = new com.fasterxml.jackson.databind.ObjectMapper().readValue(view.getBody(), Map.class);
        assertThat(((Number) problem.get("journalId")).longValue()).isEqualTo(missing);
        assertThat((String) problem.get("error")).contains("journal entry " + missing, missingFile, "missing");
        assertThat(repository.auditTrail(missing)).isEmpty();                       // nothing was shown

        view = analyst().getForEntity("/api/journal/{id}/content", String.class, unreadable);
        assertThat(view.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(view.getBody()).contains("journal entry " + unreadable, "format");

        ResponseEntity<Map> replayed = analyst().postForEntity("/api/journal/{id}/replay", null, Map.class, missing);
        assertThat(replayed.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
        assertThat(((Number) replayed.getBody().get("journalId")).longValue()).isEqualTo(missing);
        assertThat((String) replayed.getBody().get("error")).contains("missing");

        // among many, each unavailable one is answered on its own and the others are replayed
        long accepted = acceptedMessage();
        ResponseEntity<List<Map<String, Object>>> many = analyst().exchange("/api/journal/replay", HttpMethod.POST,
                new org.springframework.http.HttpEntity<>(Map.of("ids", List.of(missing, unreadable, accepted))),
                new ParameterizedTypeReference<>() { });
        assertThat(many.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat((String) many.getBody().get(0).get("error")).contains("missing");
        assertThat((String) many.getBody().get(1).get("error")).contains("format");
        assertThat(many.getBody().get(2)).containsKey("journalId");
    }

    @Autowired
    io.carebus.config.CarebusProperties properties;

    private java.nio.file.Path contentDir() {
        String configured = properties.getJournal().getContentDir();
        return configured == null || configured.isBlank() ? properties.getDataDir().resolve("journal-content")
                : java.nio.file.Path.of(configured);
    }

    private long insertInFile(java.time.Instant receivedAt, String controlId, String reference) {
        return jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, sender, receiver, message_type, trigger_event,
                    control_id, version, status, size_bytes, content, content_ref)
                VALUES (?, 'mllp-hl7v2', 'EHR^HOSP', 'CAREBUS^PMS', 'ADT', 'A01', ?, '2.5.1', 'delivered', 5000000,
                    decode('', 'hex'), ?)
                RETURNING id""", Long.class, java.sql.Timestamp.from(receivedAt), controlId, reference);
    }

    private long insertSealed(java.time.Instant receivedAt, String controlId, byte[] content) {
        return jdbc.queryForObject("""
                INSERT INTO journal_message (received_at, channel, sender, receiver, message_type, trigger_event,
                    control_id, version, status, size_bytes, content)
                VALUES (?, 'mllp-hl7v2', 'EHR^HOSP', 'CAREBUS^PMS', 'ADT', 'A01', ?, '2.5.1', 'delivered', ?, ?)
                RETURNING id""", Long.class, java.sql.Timestamp.from(receivedAt), controlId, content.length, content);
    }

    @Test
    void aReplayRequestWithoutIdsOrWithAnEmptyIdIsABadRequest() {
        for (String body : List.of("{}", "{\"ids\":null}", "{\"ids\":[null]}")) {
            assertThat(postJson("/api/journal/replay", body).getStatusCode()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
        }
        assertThat(postJson("/api/dead-letters/DLQ.carebus.out.downstream/replay", "{\"journalIds\":[null]}")
                .getStatusCode()).isEqualTo(HttpStatus.BAD_REQUEST);
    }

    private ResponseEntity<String> postJson(String path, String body) {
        org.springframework.http.HttpHeaders headers = new org.springframework.http.HttpHeaders();
        headers.setContentType(org.springframework.http.MediaType.APPLICATION_JSON);
        return analyst().exchange(path, HttpMethod.POST, new org.springframework.http.HttpEntity<>(body, headers),
                String.class);
    }

    /** A message acknowledged AA at intake; its journal id. */
    private long acceptedMessage() throws Exception {
        String controlId = "ACC" + UUID.randomUUID().toString().substring(0, 10);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            assertThat(field(client.send(adt(controlId, "P-ACC")), "MSA", 1)).isEqualTo("AA");
        }
        return repository.search(new JournalSearch(null, null, null, controlId, null, null, null, null, 10)).get(0).id();
    }
}
