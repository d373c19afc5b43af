package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.carebus.config.CarebusProperties;
import io.carebus.config.CarebusProperties.Destination;
import io.carebus.config.CarebusProperties.Rule;
import org.junit.jupiter.api.Test;

/** The routing table alone: which rule a sender (MSH-3^MSH-4), type (MSH-9.1) and trigger (MSH-9.2) match. */
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
    void aMessageMatchingNoRuleGoesNowhere() {
        assertThat(router.destinationsFor("EHR^EAST", "SIU", "S12")).isEmpty();
        assertThat(router.destinationsFor(null, null, null)).isEmpty();
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
        CarebusProperties properties = new CarebusProperties();
        for (Rule rule : rules) {
            properties.getRouting().getRules().put(rule.getName(), rule);
            rule.getDestinations().forEach(d -> properties.getDestinations().put(d, new Destination()));
        }
        return new DestinationRouter(properties);
    }
}
