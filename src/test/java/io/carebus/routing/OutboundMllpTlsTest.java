package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import io.carebus.journal.Journal;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Outbound MLLP over TLS (carebus.destinations.&lt;name&gt;.tls with a Spring Boot SSL bundle) to receivers on real
 * TLS sockets (EngineTestBase's TLS destinations): delivered and acknowledged over TLS and mutual TLS; a receiver
 * Carebus cannot authenticate, or that refuses Carebus, gets nothing, and the message is retried, then dead-lettered.
 */
class OutboundMllpTlsTest extends EngineTestBase {

    @Autowired
    Journal journal;
    @Autowired
    DeadLetters deadLetters;

    @Test
    void aMessageIsDeliveredOverTlsAndAcknowledged() throws Exception {
        String controlId = send("TLSFEED");
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(delivery(controlId, "tls-feed").status()));
        assertThat(TLS_FEED.controlIds()).containsOnlyOnce(controlId);
    }

    @Test
    void mutualTlsSendsTheClientCertificateFromTheBundlesKeyStore() throws Exception {
        String controlId = send("MTLSFEED");
        await().atMost(Duration.ofSeconds(30)).until(() -> "delivered".equals(delivery(controlId, "mtls-feed").status()));
        assertThat(MTLS_FEED.controlIds()).containsOnlyOnce(controlId);
    }

    @Test
    void aReceiverRequiringAClientCertificateGetsNothingWithoutAKeyStore() throws Exception {
        String controlId = send("MTLSNOKEY");
        String error = assertRetriedThenDeadLettered(controlId, "mtls-without-key-feed");
        // TLS 1.3: the receiver's refusal comes as an alert after the handshake (RFC 8446 §4.4.2.4), read and
        // journaled as the reason rather than the broken pipe the next write meets
        assertThat(error).contains("SSLHandshakeException").contains("alert");
        assertThat(MTLS_FEED.controlIds()).doesNotContain(controlId);
    }

    @Test
    void aReceiverWithAnUntrustedCertificateIsNotDeliveredTo() throws Exception {
        String controlId = send("TLSSTRANGER");
        String error = assertRetriedThenDeadLettered(controlId, "untrusted-feed");
        assertThat(error).contains("SSLHandshakeException");
        assertThat(UNTRUSTED_FEED.controlIds()).doesNotContain(controlId);
    }

    @Test
    void aReceiverWhoseCertificateNamesAnotherHostIsNotDeliveredTo() throws Exception {
        String controlId = send("TLSWRONGHOST");
        String error = assertRetriedThenDeadLettered(controlId, "wrong-host-feed");
        // trusted, but issued to elsewhere.example: the HTTPS identity check (RFC 2818 §3.1) refuses it
        assertThat(error).contains("SSLHandshakeException").containsIgnoringCase("subject alternative");
        assertThat(WRONG_HOST_FEED.controlIds()).doesNotContain(controlId);
    }

    /** @return the error journaled for the destination */
    private String assertRetriedThenDeadLettered(String controlId, String destination) {
        await().atMost(Duration.ofSeconds(40)).until(() -> "dead".equals(delivery(controlId, destination).status()));
        JournalRepository.Delivery delivery = delivery(controlId, destination);
        assertThat(delivery.attempts()).as("retried like a lost connection").isGreaterThanOrEqualTo(3);
        long id = journalId(controlId);
        await().atMost(Duration.ofSeconds(20)).until(() -> deadLetters.list("DLQ.carebus.out." + destination, 1000)
                .stream().anyMatch(d -> Long.valueOf(id).equals(d.journalId())));
        return delivery.error();
    }

    private String send(String sender) throws Exception {
        String controlId = sender + UUID.randomUUID().toString().substring(0, 8);
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            String message = adt(controlId, "TLS-" + controlId).replace("|EHR|HOSP|", "|" + sender + "|HOSP|");
            assertThat(field(client.send(message), "MSA", 1)).isEqualTo("AA");
        }
        return controlId;
    }

    private long journalId(String controlId) {
        return journal.repository().search(new JournalSearch(null, null, null, controlId, null, null, null, null, 1))
                .get(0).id();
    }

    private JournalRepository.Delivery delivery(String controlId, String destination) {
        return journal.repository().deliveries(journalId(controlId)).stream()
                .filter(d -> d.destination().equals(destination)).findFirst()
                .orElse(new JournalRepository.Delivery(destination, "none", 0, null, null));
    }
}
