package io.carebus.x12.intake;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.carebus.journal.Journal;
import io.carebus.journal.MessageStatus;
import io.carebus.x12.X12Service;
import io.carebus.x12.read.X12Segment;
import io.carebus.x12.tree.X12Transaction;
import io.carebus.x12.validate.GroupResult;
import io.carebus.x12.validate.InterchangeResult;
import io.carebus.x12.validate.TransactionResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes an X12 file from a trading partner: refuses a file already taken (same SHA-256), validates it (SNIP 1-3),
 * journals the bytes (channel {@code sftp-x12}), reports an interchange already received from the same sender
 * (ISA06 + ISA13) as a duplicate (TA1 note 025) without processing it again, and writes the TA1 / 999 answer.
 */
public class X12Intake {

    public static final String CHANNEL = "sftp-x12";
    private static final Logger log = LoggerFactory.getLogger(X12Intake.class);

    /**
     * What became of a file: {@code folder} is where it goes (archive or error), {@code acknowledgment} may be null,
     * {@code enqueue} says whether the transform stage gets it (something in it was accepted), with the journal row
     * ({@code journalId}, {@code receivedAt}) and ISA13 ({@code controlNumber}) it travels with;
     * {@code interchanges} are the ISA13s of the interchanges the transform stage may process (new, from the
     * partner, sound envelope), the others in the file being answered only.
     */
    public record Outcome(String folder, String acknowledgment, List<Long> journalIds, boolean duplicateFile,
                          String summary, boolean enqueue, Long journalId, java.time.Instant receivedAt,
                          String controlNumber, List<String> interchanges) {
    }

    private final X12Service x12;
    private final Journal journal;
    private final ReceivedInterchanges received;
    private final Envelopes envelopes;
    private final Map<String, TradingPartner> partners;
    private final OutboundTracking tracking;

    public X12Intake(X12Service x12, Journal journal, ReceivedInterchanges received, Envelopes envelopes,
                     Map<String, TradingPartner> partners, OutboundTracking tracking) {
        this.tracking = tracking;
        this.x12 = x12;
        this.journal = journal;
        this.received = received;
        this.envelopes = envelopes;
        this.partners = partners;
    }

    /**
     * Takes a file as it lies on local disk: it is read as a stream (checksum, validation, journal), never whole,
     * so a file of any size runs in bounded memory.
     */
    public Outcome receive(String partnerName, String fileName, Path file) {
        String checksum = sha256(file);
        long size = size(file);
        if (!received.firstFile(checksum, partnerName, fileName)) {
            log.info("X12 file from {} ({} bytes) already taken (same checksum): not processed again", partnerName,
                    size);
            return new Outcome("archive", null, List.of(), true, "duplicate file", false, null, null, null,
                    List.of());
        }
        // 999s and TA1s from the partner answer what Carebus sent them: kept aside to settle x12_outbound
        List<X12Transaction> functionalAcks = new ArrayList<>();
        List<X12Segment> interchangeAcks = new ArrayList<>();
        List<InterchangeResult> interchanges;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            interchanges = x12.read(in, t -> {
                if ("999".equals(t.transactionSet())) {
                    functionalAcks.add(t);
                }
            }, interchangeAcks::add);
        } catch (IOException e) {
            throw new X12FileUnreadableException(fileName, e);
        }
        // encrypted once for the journal (in a file when large), shared by the rows of its interchanges
        Journal.StoredContent content = journal.prepare(file, Journal.now());
        StringBuilder acks = new StringBuilder();
        List<Long> journalIds = new ArrayList<>();
        boolean anyRejected = false;
        Long enqueueId = null;
        java.time.Instant enqueueAt = null;
        String enqueueControl = null;
        List<String> toProcess = new ArrayList<>();
        TradingPartner partner = partners.get(partnerName);
        for (InterchangeResult read : interchanges) {
            // an interchange on partner P's account must carry P's ISA05/ISA06, else TA1 005/006 and not processed
            InterchangeResult result = SenderCheck.check(partner, read);
            boolean foreign = result != read;
            if (foreign) {
                log.warn("X12 interchange {} on {}'s drop box has another sender: TA1 R {}", result.controlNumber(),
                        partnerName, result.noteCode());
            }
            boolean duplicate = !result.envelopeError()
                    && !received.firstInterchange(result.senderQualifier(), result.senderId(), result.controlNumber());
            InterchangeResult answered = duplicate ? asDuplicate(result) : result;
            MessageStatus status = duplicate ? MessageStatus.DUPLICATE
                    : rejected(result) ? MessageStatus.REJECTED : MessageStatus.RECEIVED;
            anyRejected |= status == MessageStatus.REJECTED;
            // journal: type = ST01, trigger = GS01 functional id, control id = ISA13, version = GS08
            java.time.Instant receivedAt = Journal.now();
            long id = journal.store(new Journal.Metadata(CHANNEL, result.senderId(), result.receiverId(),
                            firstTransactionSet(result), firstFunctionalId(result), result.controlNumber(),
                            firstVersion(result), null),
                    content, receivedAt, status, status == MessageStatus.RECEIVED ? null : summary(answered), null);
            journalIds.add(id);
            boolean anyAccepted = result.groups().stream().anyMatch(g -> g.accepted() > 0
                    && !"FA".equals(g.functionalId()));
            if (!duplicate && !result.envelopeError() && anyAccepted) {
                toProcess.add(result.controlNumber());
                if (enqueueId == null) {
                    enqueueId = id;
                    enqueueAt = receivedAt;
                    enqueueControl = result.controlNumber();
                }
            }
            if (!duplicate && !result.envelopeError()) {
                received.linkJournal(result.senderQualifier(), result.senderId(), result.controlNumber(), id);
            }
            if (!duplicate) {
                if (!foreign) {
                    settleOutbound(partnerName, functionalAcks, interchangeAcks);
                }
                functionalAcks.clear();
                interchangeAcks.clear();
            }
            // acknowledgments are not acknowledged (X12 5010): a 999 group gets no 999, a TA1 only when asked for
            InterchangeResult toAnswer = withoutAcknowledgmentGroups(answered);
            if (toAnswer.groups().isEmpty() && !toAnswer.envelopeError() && !toAnswer.acknowledgmentRequested()) {
                continue;
            }
            // the answer goes to whoever sent the interchange; when its ISA is unreadable, to the partner's ids
            boolean readable = !result.senderId().isBlank() && !result.senderQualifier().isBlank();
            String qualifier = readable ? result.senderQualifier() : partner != null ? partner.isaQualifier() : "ZZ";
            String isaId = readable ? result.senderId() : partner != null ? partner.isaId() : partnerName;
            String gsId = !result.groups().isEmpty() ? result.groups().get(0).senderCode()
                    : partner != null ? partner.gsId() : isaId;
            acks.append(x12.acknowledge(toAnswer, envelopes.to(partnerName, qualifier, isaId, gsId, partner)));
            log.info("X12 interchange {} from {}: {} (journal {})", result.controlNumber(), partnerName,
                    summary(answered), id);
        }
        String summary = interchanges.stream().map(X12Intake::summary).reduce((a, b) -> a + "; " + b).orElse("");
        return new Outcome(anyRejected ? "error" : "archive", acks.length() == 0 ? null : acks.toString(), journalIds,
                false, summary, enqueueId != null, enqueueId, enqueueAt, enqueueControl, List.copyOf(toProcess));
    }

    private void settleOutbound(String partner, List<X12Transaction> functionalAcks, List<X12Segment> ta1s) {
        for (X12Segment ta1 : ta1s) {
            int n = tracking.interchangeAcknowledged(partner, ta1);
            log.info("TA1 from {} for interchange {}: {} {} ({} transaction sets settled)", partner, ta1.element(1),
                    ta1.element(4), ta1.element(5), n);
        }
        for (X12Transaction ack : functionalAcks) {
            int n = tracking.functionalAcknowledgment(partner, ack);
            log.info("999 from {}: {} transaction sets settled", partner, n);
        }
    }

    private static InterchangeResult withoutAcknowledgmentGroups(InterchangeResult r) {
        List<GroupResult> groups = r.groups().stream().filter(g -> !"FA".equals(g.functionalId())).toList();
        return new InterchangeResult(r.senderQualifier(), r.senderId(), r.receiverQualifier(), r.receiverId(),
                r.date(), r.time(), r.controlNumber(), r.version(), r.acknowledgmentRequested(), r.usage(),
                r.repetitionSeparator(), r.componentSeparator(), r.noteCode(), groups);
    }

    /** TA1 note 025: duplicate interchange control number; no 999, nothing processed. */
    private static InterchangeResult asDuplicate(InterchangeResult r) {
        return new InterchangeResult(r.senderQualifier(), r.senderId(), r.receiverQualifier(), r.receiverId(),
                r.date(), r.time(), r.controlNumber(), r.version(), r.acknowledgmentRequested(), r.usage(),
                r.repetitionSeparator(), r.componentSeparator(), "025", r.groups());
    }

    static boolean rejected(InterchangeResult r) {
        return r.envelopeError() || r.groups().stream().anyMatch(g -> g.ackCode().equals("R"));
    }

    static String summary(InterchangeResult r) {
        if (r.envelopeError()) {
            return "TA1 R " + r.noteCode();
        }
        StringBuilder sb = new StringBuilder();
        for (GroupResult g : r.groups()) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(g.functionalId()).append(' ').append(g.controlNumber()).append(": AK9 ").append(g.ackCode())
                    .append(' ').append(g.accepted()).append('/').append(g.received());
        }
        return sb.toString();
    }

    private static String firstTransactionSet(InterchangeResult r) {
        return r.groups().stream().flatMap(g -> g.transactions().stream()).map(TransactionResult::transactionSet)
                .findFirst().orElse("X12");
    }

    private static String firstFunctionalId(InterchangeResult r) {
        return r.groups().stream().map(GroupResult::functionalId).findFirst().orElse(null);
    }

    private static String firstVersion(InterchangeResult r) {
        return r.groups().stream().map(GroupResult::version).findFirst().orElse(null);
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new X12FileUnreadableException(file.getFileName().toString(), e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new X12FileUnreadableException(file.getFileName().toString(), e);
        }
    }
}
