package io.carebus.sftp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.carebus.x12.intake.OutboundTracking;
import io.carebus.x12.intake.TradingPartner;
import io.carebus.x12.intake.UnknownTradingPartnerException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Sends an X12 interchange Carebus wrote to a trading partner (route outbound-sftp-x12-&lt;partner&gt;) and records
 * each transaction set as sent, so the partner's TA1 / 999 can settle it.
 */
public class OutboundX12 {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(OutboundX12.class);

    /** What was sent: the file name and the control numbers (ISA13, GS06, ST02s). */
    public record Delivery(String partner, String fileName, String interchangeControl, String groupControl,
                           List<OutboundTracking.Sent> transactions) {
    }

    private final ProducerTemplate producer;
    private final OutboundTracking tracking;
    private final Map<String, TradingPartner> partners;

    public OutboundX12(ProducerTemplate producer, OutboundTracking tracking, Map<String, TradingPartner> partners) {
        this.producer = producer;
        this.tracking = tracking;
        this.partners = partners;
    }

    /**
     * @param transactions ST01 / ST02 / reference of each set in {@code x12}, in order
     */
    public Delivery send(String partner, String transactionSet, String x12, long interchangeControl,
                         long groupControl, List<OutboundTracking.Sent> transactions) {
        if (!partners.containsKey(partner)) {
            throw new UnknownTradingPartnerException(partner);
        }
        String fileName = String.format("%s-%09d.%s", transactionSet.toLowerCase(), interchangeControl,
                transactionSet.startsWith("837") ? "837" : transactionSet);
        // recorded before it leaves: an acknowledgment can never arrive for a transaction set we do not know
        tracking.sent(partner, Long.toString(interchangeControl), Long.toString(groupControl),
                new ArrayList<>(transactions));
        try {
            producer.sendBodyAndHeader("direct:outbound-sftp-x12-" + partner,
                    x12.getBytes(StandardCharsets.ISO_8859_1), Exchange.FILE_NAME, fileName);
        } catch (CamelExecutionException e) {
            // e.g. the server's host key is not the one configured for it: nothing left Carebus
            String reason = rootCause(e);
            tracking.notDelivered(partner, Long.toString(interchangeControl), "not delivered: " + reason);
            log.warn("X12 interchange {} for partner {} not delivered: {}", interchangeControl, partner, reason);
            throw new X12DeliveryException("X12 interchange " + interchangeControl + " for partner " + partner
                    + " was not delivered: " + reason, e);
        }
        return new Delivery(partner, fileName, Long.toString(interchangeControl), Long.toString(groupControl),
                transactions);
    }

    /** The innermost cause (JSch's "HostKey has been changed", "Auth fail"...): names hosts, never content. */
    private static String rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
