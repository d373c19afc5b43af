package io.carebus.x12.intake;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;

import io.carebus.x12.X12Service;
import io.carebus.x12.fhir.Fhir;
import io.carebus.x12.fhir.X12ToFhir;
import io.carebus.x12.tree.ClaimSplitter;
import io.carebus.x12.tree.X12Transaction;

/**
 * The transform stage for X12 taken in: one message per business event. An 837 becomes one transaction set per
 * claim (X12), an 835 one FHIR bundle per claim payment (a posting event each), a 271, 277/277CA, 834 or 278
 * response one FHIR bundle per transaction set. Other sets (an inbound 270 or 276) pass on as they are.
 */
public class X12Canonical {

    /** One message of the canonical stage: its media type and its text. */
    public record Message(String mediaType, String transactionSet, String body) {
    }

    private final X12Service x12;
    private final X12ToFhir toFhir;

    public X12Canonical(X12Service x12, X12ToFhir toFhir) {
        this.x12 = x12;
        this.toFhir = toFhir;
    }

    public List<Message> messages(byte[] interchange) {
        return messages(interchange, null);
    }

    /** As {@link #messages(byte[])}, for the interchanges (ISA13) in {@code interchanges} only; null for all. */
    public List<Message> messages(byte[] interchange, java.util.Set<String> interchanges) {
        List<Message> out = new ArrayList<>();
        messages(new ByteArrayInputStream(interchange), interchanges, out::add);
        return out;
    }

    /**
     * Reads {@code interchange} as a stream and hands each message to {@code sink} as soon as it is made; only the
     * interchanges (ISA13) in {@code interchanges} when not null (a file may also hold one that was answered with a
     * TA1 only: a duplicate, or one from another sender).
     */
    public void messages(java.io.InputStream interchange, java.util.Set<String> interchanges,
                         java.util.function.Consumer<Message> sink) {
        x12.read(interchange, t -> {
            if (!t.result().accepted()) {
                return; // rejected sets were answered with a 999 R and are not processed
            }
            if (interchanges != null && !interchanges.contains(t.isa().element(13))) {
                return;
            }
            messages(t).forEach(sink);
        });
    }

    List<Message> messages(X12Transaction t) {
        List<Message> out = new ArrayList<>();
        switch (t.transactionSet()) {
            case "837" -> ClaimSplitter.split(t).forEach(claim -> out.add(new Message("application/edi-x12", "837",
                    claim)));
            case "835" -> toFhir.remittance().claimPayments(t).forEach(bundle -> out.add(new Message(
                    "application/fhir+json", "835", Fhir.json(bundle))));
            case "999" -> {
                // acknowledgments settle what Carebus sent; they are not business messages
            }
            default -> {
                if (toFhir.supports(t.transactionSet())) {
                    out.add(new Message("application/fhir+json", t.transactionSet(), Fhir.json(toFhir.bundle(t))));
                } else {
                    StringBuilder sb = new StringBuilder();
                    io.carebus.x12.write.Interchanges.writeTree(t.root(), sb, t.isa().delimiters().segment());
                    out.add(new Message("application/edi-x12", t.transactionSet(), sb.toString()));
                }
            }
        }
        return out;
    }
}
