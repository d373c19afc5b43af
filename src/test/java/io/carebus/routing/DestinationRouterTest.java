package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.carebus.CarebusHeaders;
import io.carebus.config.CarebusProperties;
import io.carebus.config.CarebusProperties.Destination;
import io.carebus.config.CarebusProperties.Rule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The routing table alone: which rule a sender (MSH-3^MSH-4, or MSH-3|MSH-4 when an HD has a universal id), type
 * (MSH-9.1) and trigger (MSH-9.2) match.
 */
class DestinationRouterTest {

    private final DestinationRouter router = router(
            rule("by-application", "LAB", "*", "*", "lab"),
            rule("by-application-and-facility", "EHR^NORTH", "*", "*", "north"),
            rule("by-facility", "*^SOUTH", "*", "*", "south"),
            rule("by-trigger", "*", "*", "A31", "person"),
            rule("by-type-and-trigger", "*", "ORU", "R01", "results"));

    @Test
    void anApplicationAloneMatchesItFromAnyFacility() {
        assertThat(router.destinationsFor("LAB^MAIN", "ORM", "O01")).containsExactly("lab");
        assertThat(router.destinationsFor("LAB^", "ORM", "O01")).containsExactly("lab");      // MSH-4 empty
        assertThat(router.destinationsFor("LABX^MAIN", "ORM", "O01")).isEmpty();               // not a prefix match
    }

    @Test
    void applicationAndFacilityMustBothMatch() {
        assertThat(router.destinationsFor("EHR^NORTH", "ADT", "A01")).containsExactly("north");
        assertThat(router.destinationsFor("EHR^EAST", "ADT", "A01")).isEmpty();
        assertThat(router.destinationsFor("OTHER^NORTH", "ADT", "A01")).isEmpty();
    }

    @Test
    void aFacilityFromAnyApplication() {
        assertThat(router.destinationsFor("EHR^SOUTH", "ADT", "A01")).containsExactly("south");
        assertThat(router.destinationsFor("PACS^SOUTH", "ADT", "A01")).containsExactly("south");
    }

    @Test
    void sendersAreComparedIgnoringCaseAsTypesAndTriggersAre() {
        assertThat(router.destinationsFor("lab^main", "ORM", "O01")).containsExactly("lab");
        assertThat(router.destinationsFor("ehr^north", "adt", "a31")).containsExactly("north", "person");
    }

    @Test
    void byTriggerAndByTypeAndTrigger() {
        assertThat(router.destinationsFor("EHR^EAST", "ADT", "A31")).containsExactly("person");
        assertThat(router.destinationsFor("EHR^EAST", "ORU", "R01")).containsExactly("results");
        assertThat(router.destinationsFor("EHR^EAST", "ORU", "R30")).isEmpty();
    }

    @Test
    void everyMatchingRuleAddsItsDestinationsOnce() {
        assertThat(router.destinationsFor("LAB^SOUTH", "ORU", "R01")).containsExactly("lab", "south", "results");
    }

    @Test
    void anApplicationAloneMatchesItsNamespaceWhateverItsUniversalId() {
        assertThat(router.destinationsFor("LAB^1.2.3^ISO|MAIN", "ORM", "O01")).containsExactly("lab");
        assertThat(router.destinationsFor("EHR|NORTH^2.16.840.1.113883.3.7^ISO", "ADT", "A01")).containsExactly("north");
        assertThat(router.destinationsFor("^1.2.3^ISO|SOUTH", "ADT", "A01")).containsExactly("south");
        assertThat(router.destinationsFor("^1.2.3^ISO|", "ORM", "O01")).isEmpty();    // no namespace id
    }

    @Test
    void aWholeHdNamesASenderByItsUniversalId() {
        DestinationRouter byOid = router(
                rule("oid-alone", "^2.16.840.1.113883.3.1^ISO", "*", "*", "first"),
                rule("lab-by-oid", "LAB^1.2.3^ISO^", "*", "*", "lab123"),
                rule("oid-and-facility", "^2.16.840.1.113883.3.2^ISO|NORTH", "*", "*", "second-north"),
                rule("facility-by-oid", "*|^9.9^ISO", "*", "*", "facility-oid"));
        assertThat(byOid.destinationsFor("^2.16.840.1.113883.3.1^ISO|", "ADT", "A01")).containsExactly("first");
        assertThat(byOid.destinationsFor("^2.16.840.1.113883.3.1^iso|EAST", "ADT", "A01")).containsExactly("first");
        assertThat(byOid.destinationsFor("^2.16.840.1.113883.3.2^ISO|", "ADT", "A01")).isEmpty();
        assertThat(byOid.destinationsFor("^2.16.840.1.113883.3.2^ISO|NORTH", "ADT", "A01"))
                .containsExactly("second-north");
        assertThat(byOid.destinationsFor("LAB^1.2.3^ISO|", "ORU", "R01")).containsExactly("lab123");
        assertThat(byOid.destinationsFor("LAB^4.5.6^ISO|", "ORU", "R01")).isEmpty();
        assertThat(byOid.destinationsFor("LAB^", "ORU", "R01")).isEmpty();
        assertThat(byOid.destinationsFor("EHR|^9.9^ISO", "ADT", "A01")).containsExactly("facility-oid");
    }

    @Test
    void aMessageMatchingNoRuleGoesNowhere() {
        assertThat(router.destinationsFor("EHR^EAST", "SIU", "S12")).isEmpty();
        assertThat(router.destinationsFor(null, null, null)).isEmpty();
    }

    @Test
    void aReplayGoesOnlyToItsChosenDestinationsAmongThoseTheTablePicks() {
        DestinationRouter replaying = router((id, receivedAt) -> id == 7L, rule("by-application", "LAB", "*", "*", "lab"),
                rule("by-trigger", "*", "*", "A31", "person"));
        Exchange replay = message(7L, true, "person,south");

        assertThat(replaying.route(replay)).isEqualTo("jms:queue:carebus.out.person");
        assertThat(replay.getMessage().getHeader(CarebusHeaders.DESTINATIONS)).isEqualTo("person");
        assertThat(replaying.unknown(List.of("lab", "south", "lab", "nowhere"))).containsExactly("south", "nowhere");
    }

    @Test
    void aMessageThatIsNotAReplaysRowCannotChooseItsDestinations() {
        DestinationRouter replaying = router((id, receivedAt) -> id == 7L, rule("by-application", "LAB", "*", "*", "lab"),
                rule("by-trigger", "*", "*", "A31", "person"));
        String everywhere = "jms:queue:carebus.out.lab,jms:queue:carebus.out.person";
        // a row no replay made, with the replay flag forged: the header is dropped, the table decides
        Exchange forged = message(8L, true, "person");
        assertThat(replaying.route(forged)).isEqualTo(everywhere);
        assertThat(forged.getMessage().getHeader(CarebusHeaders.REPLAY_DESTINATIONS)).isNull();
        // a replay's row without the replay flag
        assertThat(replaying.route(message(7L, false, "person"))).isEqualTo(everywhere);
        // a router without a journal honours no choice
        assertThat(router(rule("by-application", "LAB", "*", "*", "lab"), rule("by-trigger", "*", "*", "A31", "person"))
                .route(message(7L, true, "person"))).isEqualTo(everywhere);
    }

    private static Exchange message(long journalId, boolean replay, String chosen) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        Message in = exchange.getMessage();
        in.setHeader(CarebusHeaders.SENDER, "LAB^MAIN");
        in.setHeader(CarebusHeaders.MESSAGE_TYPE, "ADT");
        in.setHeader(CarebusHeaders.TRIGGER_EVENT, "A31");
        in.setHeader(CarebusHeaders.JOURNAL_ID, journalId);
        in.setHeader(CarebusHeaders.RECEIVED_AT, 1_700_000_000_000L);
        in.setHeader(CarebusHeaders.REPLAY, replay);
        in.setHeader(CarebusHeaders.REPLAY_DESTINATIONS, chosen);
        return exchange;
    }

    private static Rule rule(String name, String sender, String type, String trigger, String destination) {
        Rule rule = new Rule();
        rule.setName(name);
        rule.setSender(sender);
        rule.setType(type);
        rule.setTrigger(trigger);
        rule.setDestinations(List.of(destination));
        return rule;
    }

    private static DestinationRouter router(Rule... rules) {
        return new DestinationRouter(properties(rules));
    }

    private static DestinationRouter router(DestinationRouter.ReplayRows replayRows, Rule... rules) {
        return new DestinationRouter(properties(rules), replayRows);
    }

    private static CarebusProperties properties(Rule... rules) {
        CarebusProperties properties = new CarebusProperties();
        for (Rule rule : rules) {
            properties.getRouting().getRules().put(rule.getName(), rule);
            rule.getDestinations().forEach(d -> properties.getDestinations().put(d, new Destination()));
        }
        return properties;
    }
}
