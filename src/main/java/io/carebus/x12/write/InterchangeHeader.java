package io.carebus.x12.write;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

import io.carebus.x12.read.X12Delimiters;

/**
 * What goes in the ISA and GS of an interchange Carebus writes: sender and receiver (ISA05-08, GS02-03), control
 * numbers (ISA13, GS06), usage indicator (ISA15), acknowledgment request (ISA14) and time.
 */
public record InterchangeHeader(String senderQualifier, String senderId, String receiverQualifier,
                                String receiverId, String applicationSender, String applicationReceiver,
                                long interchangeControlNumber, long groupControlNumber, boolean production,
                                boolean acknowledgmentRequested, LocalDateTime time, X12Delimiters delimiters,
                                java.util.function.LongSupplier transactionNumbers) {

    /** A header whose ST02 numbers run 1, 2, 3... within the group. */
    public InterchangeHeader(String senderQualifier, String senderId, String receiverQualifier, String receiverId,
                             String applicationSender, String applicationReceiver, long interchangeControlNumber,
                             long groupControlNumber, boolean production, boolean acknowledgmentRequested,
                             LocalDateTime time, X12Delimiters delimiters) {
        this(senderQualifier, senderId, receiverQualifier, receiverId, applicationSender, applicationReceiver,
                interchangeControlNumber, groupControlNumber, production, acknowledgmentRequested, time, delimiters,
                null);
    }

    /**
     * ST02 of the {@code index}-th (1-based) transaction set of the group: from the durable per-partner sequence
     * when there is one, else the index; at least four digits (X12 5010 ST02 is 4 to 9 characters).
     */
    public String transactionControl(int index) {
        long n = transactionNumbers == null ? index : transactionNumbers.getAsLong();
        return String.format("%04d", n);
    }

    private static final DateTimeFormatter ISA_DATE = DateTimeFormatter.ofPattern("yyMMdd");
    private static final DateTimeFormatter GS_DATE = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmm");

    /** X12 5010 ISA, fixed width: ISA02/04 10 characters, ISA06/08 15, ISA13 9 digits. */
    public String isa() {
        char e = delimiters.element();
        return "ISA" + e + "00" + e + pad("", 10) + e + "00" + e + pad("", 10) + e + senderQualifier + e
                + pad(senderId, 15) + e + receiverQualifier + e + pad(receiverId, 15) + e + time.format(ISA_DATE) + e
                + time.format(TIME) + e + delimiters.repetition() + e + "00501" + e
                + String.format("%09d", interchangeControlNumber) + e + (acknowledgmentRequested ? "1" : "0") + e
                + (production ? "P" : "T") + e + delimiters.component();
    }

    public String isaDate() {
        return time.format(ISA_DATE);
    }

    public String gsDate() {
        return time.format(GS_DATE);
    }

    public String hhmm() {
        return time.format(TIME);
    }

    public String interchangeControl() {
        return String.format("%09d", interchangeControlNumber);
    }

    private static String pad(String value, int width) {
        String v = value == null ? "" : value;
        if (v.length() > width) {
            throw new EnvelopeIdTooLongException("ISA identifier longer than " + width + " characters");
        }
        return v + " ".repeat(width - v.length());
    }
}
