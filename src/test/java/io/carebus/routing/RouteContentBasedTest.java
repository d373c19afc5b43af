package io.carebus.routing;

import static io.carebus.support.MllpClient.field;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import io.carebus.journal.Journal;
import io.carebus.journal.JournalEntry;
import io.carebus.journal.JournalRepository;
import io.carebus.journal.JournalSearch;
import io.carebus.support.EngineTestBase;
import io.carebus.support.MllpClient;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * route-content-based with the test rules of {@link EngineTestBase}: sender LABROUTE (MSH-3, any facility) to
 * lab-feed, trigger A31 (MSH-9.2) to person-feed, LABROUTE^NORTH ADT (MSH-3^MSH-4) to person-feed as well. One
 * patient throughout, so each destination receives the messages in the order they were sent: once a later message
 * has arrived, an earlier one that was not routed there never will be.
 */
class RouteContentBasedTest extends EngineTestBase {

    @Autowired
    Journal journal;

    @Test
    void rulesBySenderAndByTriggerPickTheDestinations() throws Exception {
        String patient = "RT" + id().substring(0, 8);
        String noRule = id();
        String personUpdate = id();
        String labSouth = id();
        String labNorth = id();
        try (MllpClient client = new MllpClient(MLLP_PORT)) {
            for (String message : List.of(
                    adt(noRule, patient),                                                       // EHR^HOSP ADT^A01
                    adt(personUpdate, patient).replace("ADT^A01^ADT_A01", "ADT^A31^ADT_A05"),    // EHR^HOSP ADT^A31
                    adt(labSouth, patient).replace("|EHR|HOSP|", "|LABROUTE|SOUTH|"),
                    adt(labNorth, patient).replace("|EHR|HOSP|", "|LABROUTE|NORTH|"))) {
                assertThat(field(client.send(message), "MSA", 1)).isEqualTo("AA");
            }
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> LAB_FEED.controlIds().contains(labNorth)
                && PERSON_FEED.controlIds().contains(labNorth));
        assertThat(LAB_FEED.controlIds()).as("sender LABROUTE, from any facility")
                .contains(labSouth, labNorth).doesNotContain(noRule, personUpdate);
        assertThat(PERSON_FEED.controlIds()).as("trigger A31, and LABROUTE^NORTH ADT")
                .contains(personUpdate, labNorth).doesNotContain(noRule, labSouth);
        assertThat(PERSON_FEED.controlIds().stream().filter(labNorth::equals))
                .as("two rules naming one destination send it once").hasSize(1);

        // the journal records each delivery by destination; the message of no test rule went downstream only
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(deliveredTo(noRule)).contains("downstream").doesNotContain("lab-feed", "person-feed");
            assertThat(deliveredTo(personUpdate)).contains("downstream", "person-feed").doesNotContain("lab-feed");
            assertThat(deliveredTo(labSouth)).contains("downstream", "lab-feed").doesNotContain("person-feed");
            assertThat(deliveredTo(labNorth)).contains("downstream", "lab-feed", "person-feed");
        });
    }

    /** The destinations the journal records this message as delivered to. */
    private Set<String> deliveredTo(String controlId) {
        List<JournalEntry> rows = journal.repository()
                .search(new JournalSearch(null, null, null, controlId, null, null, null, null, 10));
        assertThat(rows).hasSize(1);
        return journal.repository().deliveries(rows.get(0).id()).stream()
                .filter(d -> "delivered".equals(d.status())).map(JournalRepository.Delivery::destination)
                .collect(Collectors.toSet());
    }

    private static String id() {
        return UUID.randomUUID().toString().substring(0, 18);
    }
}
