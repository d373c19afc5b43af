package io.carebus.routing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.carebus.CarebusHeaders;
import io.carebus.config.BrokerConfig;
import io.carebus.config.CarebusProperties;
import io.carebus.config.CarebusProperties.Destination;
import io.carebus.config.CarebusProperties.Rule;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The content-based router's table (config/routing.yaml): by sender (MSH-3 and MSH-4, or MSH-3 alone), message
 * type (MSH-9.1) and trigger (MSH-9.2), which destinations get a message.
 */
public class DestinationRouter {

    private static final Logger log = LoggerFactory.getLogger(DestinationRouter.class);

    /** Whether a journal row was made by a replay (journal_message.replay_of is set). */
    @FunctionalInterface
    public interface ReplayRows {
        boolean isReplay(long journalId, Instant receivedAt);
    }

    private final List<Rule> rules;
    private final CarebusProperties properties;
    private final ReplayRows replayRows;

    /** A router that never narrows a message to a replay's chosen destinations. */
    public DestinationRouter(CarebusProperties properties) {
        this(properties, (id, receivedAt) -> false);
    }

    /**
     * @param replayRows tells a replay's row from any other: only there are the chosen destinations
     *                   ({@link CarebusHeaders#REPLAY_DESTINATIONS}) honoured, so no message from outside narrows
     *                   (or names) its own destinations
     */
    public DestinationRouter(CarebusProperties properties, ReplayRows replayRows) {
        this.properties = properties;
        this.replayRows = replayRows;
        List<Rule> named = new ArrayList<>();
        properties.getRouting().getRules().forEach((name, rule) -> {
            if (rule.getName().isBlank()) {
                rule.setName(name);
            }
            named.add(rule);
        });
        this.rules = List.copyOf(named);
        for (Rule rule : rules) {
            for (String name : rule.getDestinations()) {
                if (!properties.getDestinations().containsKey(name)) {
                    throw new IllegalStateException("Routing rule '" + rule.getName()
                            + "' names destination '" + name + "', which is not under carebus.destinations");
                }
            }
        }
    }

    /** Names of the enabled destinations for a message. */
    public List<String> destinationsFor(String sender, String type, String trigger) {
        Set<String> names = new LinkedHashSet<>();
        for (Rule rule : rules) {
            if (matchesSender(rule.getSender(), sender) && matches(rule.getType(), type)
                    && matches(rule.getTrigger(), trigger)) {
                names.addAll(rule.getDestinations());
            }
        }
        List<String> enabled = new ArrayList<>();
        for (String name : names) {
            if (isEnabled(name)) {
                enabled.add(name);
            }
        }
        return enabled;
    }

    /** The names among {@code names} that are not under carebus.destinations, in the order given. */
    public List<String> unknown(Collection<String> names) {
        return names.stream().filter(n -> !properties.getDestinations().containsKey(n)).distinct().toList();
    }

    /** Exchange property set by {@link #pick}: the recipient list of route-content-based. */
    public static final String RECIPIENTS = "CarebusRecipients";

    /** Sets {@link #RECIPIENTS} to the outbound queue URIs of {@link #route}. */
    public void pick(Exchange exchange) {
        exchange.setProperty(RECIPIENTS, route(exchange));
    }

    /** For the route's recipient list: the outbound queue URIs, comma separated (empty: nowhere). */
    public String route(Exchange exchange) {
        Message in = exchange.getMessage();
        List<String> names = destinationsFor(in.getHeader(CarebusHeaders.SENDER, String.class),
                in.getHeader(CarebusHeaders.MESSAGE_TYPE, String.class),
                in.getHeader(CarebusHeaders.TRIGGER_EVENT, String.class));
        Set<String> chosen = replayChoice(in);
        if (chosen != null) {
            names = names.stream().filter(chosen::contains).toList();
        }
        in.setHeader(CarebusHeaders.DESTINATIONS, String.join(",", names));
        if (names.isEmpty()) {
            log.debug("No destination for controlId={} type={}^{}", in.getHeader(CarebusHeaders.CONTROL_ID),
                    in.getHeader(CarebusHeaders.MESSAGE_TYPE), in.getHeader(CarebusHeaders.TRIGGER_EVENT));
        }
        return names.stream().map(n -> "jms:queue:" + BrokerConfig.outboundQueue(n))
                .collect(Collectors.joining(","));
    }

    /**
     * The destinations an analyst chose for this replay, or null (every destination the table picks). A message that
     * is not a replay's journal row loses the header: it cannot choose its own destinations.
     */
    private Set<String> replayChoice(Message in) {
        String listed = in.getHeader(CarebusHeaders.REPLAY_DESTINATIONS, String.class);
        if (listed == null || listed.isBlank()) {
            return null;
        }
        Long id = in.getHeader(CarebusHeaders.JOURNAL_ID, Long.class);
        Long receivedAt = in.getHeader(CarebusHeaders.RECEIVED_AT, Long.class);
        boolean replay = Boolean.TRUE.equals(in.getHeader(CarebusHeaders.REPLAY, Boolean.class)) && id != null
                && receivedAt != null && replayRows.isReplay(id, Instant.ofEpochMilli(receivedAt));
        if (!replay) {
            in.removeHeader(CarebusHeaders.REPLAY_DESTINATIONS);
            log.warn("Ignored {} on journal id {}: not a replay's row", CarebusHeaders.REPLAY_DESTINATIONS, id);
            return null;
        }
        return new LinkedHashSet<>(Arrays.stream(listed.split(",")).map(String::trim).toList());
    }

    public boolean isEnabled(String name) {
        Destination d = properties.getDestinations().get(name);
        if (d == null || Boolean.FALSE.equals(d.getEnabled())) {
            return false;
        }
        if ("kafka".equals(d.getType()) || "fhir-kafka".equals(d.getType())) {
            return properties.getKafka().isEnabled();
        }
        return true;
    }

    private static boolean matches(String pattern, String value) {
        return pattern == null || pattern.isBlank() || "*".equals(pattern) || pattern.equalsIgnoreCase(value);
    }

    /**
     * A rule's sender names MSH-3 and MSH-4 as the sender key does (Hl7MessageHeader.sender(); each an HD, HL7 v2.5
     * §2.A.33): {@code APP} (MSH-3, any facility), {@code APP^FACILITY}, {@code *^FACILITY}, or, for a sender with
     * a universal id, its whole HD: {@code ^1.2.3^ISO} (two or more '^': MSH-3 alone, any facility), or MSH-3|MSH-4
     * ({@code LAB^1.2.3^ISO|NORTH}, {@code *|^4.5.6^ISO}). A name without '^' is compared with the HD's namespace id
     * (HD.1), so {@code LAB} matches LAB and LAB^1.2.3^ISO; a whole HD is compared with the whole field. Case is
     * ignored, as {@link #matches} does.
     */
    private static boolean matchesSender(String pattern, String sender) {
        if (matches(pattern, sender)) {
            return true;
        }
        if (sender == null) {
            return false;
        }
        boolean oneHd = pattern.indexOf('|') < 0 && pattern.indexOf('^') != pattern.lastIndexOf('^');
        String[] rule = applicationAndFacility(pattern, oneHd);
        String[] message = applicationAndFacility(sender, false);
        return matchesHd(rule[0], message[0]) && matchesHd(rule[1], message[1]);
    }

    /** MSH-3 and MSH-4 of a sender key or rule: split at '|', else at the first '^' (unless it is one HD). */
    private static String[] applicationAndFacility(String sender, boolean oneHd) {
        int bar = sender.indexOf('|');
        if (bar >= 0) {
            return new String[] {sender.substring(0, bar), sender.substring(bar + 1)};
        }
        int caret = sender.indexOf('^');
        if (oneHd || caret < 0) {
            return new String[] {sender, ""};
        }
        return new String[] {sender.substring(0, caret), sender.substring(caret + 1)};
    }

    private static boolean matchesHd(String pattern, String hd) {
        int end = pattern.length();
        while (end > 0 && pattern.charAt(end - 1) == '^') {
            end--;
        }
        String trimmed = pattern.substring(0, end);                 // LAB^^ is LAB
        if (matches(trimmed, hd)) {
            return true;
        }
        int caret = hd.indexOf('^');
        return trimmed.indexOf('^') < 0 && caret >= 0 && matches(trimmed, hd.substring(0, caret));
    }
}
