package io.carebus.x12.intake;

import java.util.ArrayList;
import java.util.List;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Loop;
import io.carebus.x12.tree.X12Transaction;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What Carebus sent and what became of it (table x12_outbound): each transaction set is recorded as sent, and the
 * partner's TA1 (X12 5010: TA101 = our ISA13, TA104 A/E/R, TA105 note) or 999 (AK1 = our GS06, AK2 = our ST02, IK5
 * A/E/R with the IK3/IK4 findings) marks it accepted or rejected with the reason.
 */
public class OutboundTracking {

    /** One transaction set sent: ST01, ST02 and the business reference it carries (claim id, trace number). */
    public record Sent(String transactionSet, String transactionControl, String reference) {
    }

    /** The status of one transaction set sent. */
    public record Status(String partner, String interchangeControl, String groupControl,
                         String transactionControl, String transactionSet, String reference, String status,
                         String reason) {
    }

    private final JdbcTemplate jdbc;

    public OutboundTracking(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void sent(String partner, String interchangeControl, String groupControl, List<Sent> transactions) {
        for (Sent s : transactions) {
            jdbc.update("""
                    INSERT INTO x12_outbound (partner, interchange_control, group_control, transaction_control,
                                              transaction_set, reference, status)
                    VALUES (?, ?, ?, ?, ?, ?, 'sent')""", partner, interchangeControl, groupControl,
                    s.transactionControl(), s.transactionSet(), s.reference());
        }
    }

    /** The interchange could not be put on the partner's host: its transaction sets are marked failed. */
    public void notDelivered(String partner, String interchangeControl, String reason) {
        jdbc.update("UPDATE x12_outbound SET status = 'failed', reason = ?, updated_at = now() "
                + "WHERE partner = ? AND interchange_control = ? AND status = 'sent'", reason, partner,
                interchangeControl);
    }

    /** TA1 from the partner: a rejected interchange rejects every transaction set in it. Returns rows changed. */
    public int interchangeAcknowledged(String partner, X12Segment ta1) {
        String control = ta1.element(1);
        String code = ta1.element(4);
        String note = ta1.element(5);
        if (code.equals("A")) {
            return 0; // TA1 A says the envelope was fine; the 999 tells about the transaction sets
        }
        if (!control.matches("\\d{1,9}")) {
            return 0;
        }
        return jdbc.update("UPDATE x12_outbound SET status = 'rejected', reason = ?, updated_at = now() "
                + "WHERE partner = ? AND interchange_control = ?", "TA1 " + code + " " + note, partner,
                Long.toString(Long.parseLong(control)));
    }

    /** A 999 from the partner: each AK2 / IK5 decides one transaction set of the group named in AK1. */
    public int functionalAcknowledgment(String partner, X12Transaction ack) {
        X12Loop root = ack.root();
        X12Segment ak1 = root.segment("AK1").orElse(null);
        if (ak1 == null) {
            return 0;
        }
        String group = ak1.element(2);
        int changed = 0;
        for (X12Loop ak2Loop : root.loops("2000")) {
            X12Segment ak2 = ak2Loop.segment("AK2").orElse(null);
            X12Segment ik5 = ak2Loop.segment("IK5").orElse(null);
            if (ak2 == null || ik5 == null) {
                continue;
            }
            String code = ik5.element(1);
            String status = code.equals("A") || code.equals("E") ? "accepted" : "rejected";
            List<String> findings = new ArrayList<>();
            for (X12Loop ik3Loop : ak2Loop.loops("2100")) {
                ik3Loop.segment("IK3").ifPresent(ik3 -> findings.add("IK3 " + ik3.element(1) + " #"
                        + ik3.element(2) + " loop " + ik3.element(3) + " code " + ik3.element(4)));
                for (X12Loop ik4Loop : ik3Loop.loops("2110")) {
                    ik4Loop.segment("IK4").ifPresent(ik4 -> findings.add("IK4 " + ik4.element(1).replace(
                            ik4.delimiters().component(), ':') + " element " + ik4.element(2) + " code "
                            + ik4.element(3)));
                }
            }
            StringBuilder reason = new StringBuilder("IK5 ").append(code);
            for (int e = 2; e <= 6; e++) {
                if (!ik5.element(e).isEmpty()) {
                    reason.append(' ').append(ik5.element(e));
                }
            }
            if (!findings.isEmpty()) {
                reason.append(": ").append(String.join("; ", findings));
            }
            changed += jdbc.update("UPDATE x12_outbound SET status = ?, reason = ?, updated_at = now() "
                    + "WHERE partner = ? AND group_control = ? AND transaction_control = ?", status,
                    reason.length() > 2000 ? reason.substring(0, 2000) : reason.toString(), partner, group,
                    ak2.element(2));
        }
        return changed;
    }

    public List<Status> byInterchange(String partner, String interchangeControl) {
        return jdbc.query("SELECT * FROM x12_outbound WHERE partner = ? AND interchange_control = ? "
                + "ORDER BY group_control, transaction_control", (rs, i) -> new Status(rs.getString("partner"),
                rs.getString("interchange_control"), rs.getString("group_control"),
                rs.getString("transaction_control"), rs.getString("transaction_set"), rs.getString("reference"),
                rs.getString("status"), rs.getString("reason")), partner, interchangeControl);
    }

    public List<Status> recent(String partner, int limit) {
        return jdbc.query("SELECT * FROM x12_outbound WHERE (? IS NULL OR partner = ?) ORDER BY sent_at DESC "
                + "LIMIT ?", (rs, i) -> new Status(rs.getString("partner"), rs.getString("interchange_control"),
                rs.getString("group_control"), rs.getString("transaction_control"),
                rs.getString("transaction_set"), rs.getString("reference"), rs.getString("status"),
                rs.getString("reason")), partner, partner, limit);
    }
}
