package io.carebus.routing;

import java.util.ArrayList;
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
 * The content-based router's table (config/routing.yaml): by sender (MSH-3^MSH-4, or MSH-3 alone), message
 * type (MSH-9.1) and trigger (MSH-9.2), which destinations get a message.
 */
public class DestinationRouter {

    private static final Logger log = LoggerFactory.getLogger(DestinationRouter.class);

    private final List<Rule> rules;
    private final CarebusProperties properties;

    public DestinationRouter(CarebusProperties properties) {
        this.properties = properties;
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
        in.setHeader(CarebusHeaders.DESTINATIONS, String.join(",", names));
        if (names.isEmpty()) {
            log.debug("No destination for controlId={} type={}^{}", in.getHeader(CarebusHeaders.CONTROL_ID),
                    in.getHeader(CarebusHeaders.MESSAGE_TYPE), in.getHeader(CarebusHeaders.TRIGGER_EVENT));
        }
        return names.stream().map(n -> "jms:queue:" + BrokerConfig.outboundQueue(n))
                .collect(Collectors.joining(","));
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
     * A rule's sender names the application alone (MSH-3: any facility), application^facility (MSH-3^MSH-4), or
     * {@code *^facility} (MSH-4: any application); each part compared as {@link #matches} does, ignoring case.
     */
    private static boolean matchesSender(String pattern, String sender) {
        if (matches(pattern, sender)) {
            return true;
        }
        if (sender == null) {
            return false;
        }
        int caret = pattern.indexOf('^');
        int senderCaret = sender.indexOf('^');
        String application = senderCaret < 0 ? sender : sender.substring(0, senderCaret);
        String facility = senderCaret < 0 ? "" : sender.substring(senderCaret + 1);
        if (caret < 0) {
            return matches(pattern, application);
        }
        return matches(pattern.substring(0, caret), application) && matches(pattern.substring(caret + 1), facility);
    }
}
