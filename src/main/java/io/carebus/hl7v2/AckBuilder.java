package io.carebus.hl7v2;

import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

import io.carebus.hl7v2.Hl7RejectException.ErrorLocation;

/**
 * Builds HL7 v2 acknowledgements (HL7 v2 chapter 2.9): original mode AA/AE/AR and enhanced-mode commit
 * acknowledgements CA/CE/CR, with an ERR segment naming the location and the table 0357 code.
 * Built as text because it is on the hot path and must work for messages HAPI cannot parse.
 */
public class AckBuilder {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");

    private final String application;
    private final String facility;
    private final String controlIdPrefix;
    private final AtomicLong sequence = new AtomicLong();

    public AckBuilder(String application, String facility) {
        this.application = application;
        this.facility = facility;
        this.controlIdPrefix = Long.toString(System.currentTimeMillis() / 1000, 36).toUpperCase();
    }

    /** Acknowledgement code, MSA-1 (HL7 table 0008). */
    public enum Code {
        AA, AE, AR, CA, CE, CR;

        public static Code accept(boolean enhanced) { return enhanced ? CA : AA; }
        public static Code error(boolean enhanced) { return enhanced ? CE : AE; }
        public static Code reject(boolean enhanced) { return enhanced ? CR : AR; }
    }

    /** An error to report in ERR. */
    public record Error(ErrorLocation location, String code, String text) {
        public static Error of(Hl7RejectException e) {
            return new Error(e.location(), e.errorCode(), e.getMessage());
        }
    }

    /** The ACK for a message whose header was read: its whole MSH-3..6 (HD) swapped, in its own delimiters. */
    public String build(Hl7MessageHeader in, Code code, Error error) {
        return build(in.fieldSeparator(), in.encodingCharacters(), in.receivingApplication(), in.receivingFacility(),
                in.sendingApplication(), in.sendingFacility(), in.triggerEvent(), in.controlId(),
                in.processingId(), in.version(), code, error);
    }

    /** The ACK for bytes whose header could not be read: default delimiters, MSA-2 empty. */
    public String buildForUnreadable(Code code, Error error) {
        return build('|', "^~\\&", "", "", "", "", "", "", "P", "2.5", code, error);
    }

    private String build(char fs, String encoding, String ourApp, String ourFacility, String theirApp,
                         String theirFacility, String trigger, String controlId, String processingId,
                         String version, Code code, Error error) {
        char cs = encoding.isEmpty() ? '^' : encoding.charAt(0);
        char ss = encoding.length() > 3 ? encoding.charAt(3) : '&';
        String v = version.isEmpty() ? "2.5" : version;
        StringBuilder sb = new StringBuilder(256);
        sb.append("MSH").append(fs).append(encoding.isEmpty() ? "^~\\&" : encoding)
                .append(fs).append(ourApp.isEmpty() ? application : ourApp)        // MSH-3: who answers (their MSH-5)
                .append(fs).append(ourFacility.isEmpty() ? facility : ourFacility) // MSH-4 (their MSH-6)
                .append(fs).append(theirApp)                                        // MSH-5: back to their MSH-3
                .append(fs).append(theirFacility)                                   // MSH-6 (their MSH-4)
                .append(fs).append(ZonedDateTime.now(ZoneOffset.UTC).format(TS))    // MSH-7
                .append(fs)
                .append(fs).append("ACK");                                          // MSH-9
        if (!trigger.isEmpty()) {
            sb.append(cs).append(trigger).append(cs).append("ACK");
        }
        sb.append(fs).append(nextControlId())                                       // MSH-10
                .append(fs).append(processingId.isEmpty() ? "P" : processingId)     // MSH-11
                .append(fs).append(v)                                               // MSH-12
                .append('\r');
        sb.append("MSA").append(fs).append(code.name()).append(fs).append(controlId);  // MSA-1, MSA-2 = MSH-10
        if (error != null && error.text() != null && versionBefore25(v)) {
            sb.append(fs).append(clean(error.text(), fs, cs, ss));                     // MSA-3 text (pre-2.5)
        }
        sb.append('\r');
        if (error != null) {
            appendErr(sb, fs, cs, ss, v, error);
        }
        return sb.toString();
    }

    private static void appendErr(StringBuilder sb, char fs, char cs, char ss, String version, Error error) {
        ErrorLocation loc = error.location();
        String text = clean(error.text(), fs, cs, ss);
        sb.append("ERR").append(fs);
        if (versionBefore25(version)) {
            // ERR-1 (ELD, v2.3/2.4): segment^sequence^field^code&text&HL70357
            sb.append(loc.segment()).append(cs).append(loc.sequence()).append(cs)
                    .append(loc.field() > 0 ? String.valueOf(loc.field()) : "").append(cs)
                    .append(error.code()).append(ss).append(text).append(ss).append("HL70357");
        } else {
            // ERR-2 (ERL) location, ERR-3 (CWE) HL7 table 0357 code, ERR-4 severity, ERR-8 user message
            sb.append(fs).append(loc.segment()).append(cs).append(loc.sequence());
            if (loc.field() > 0) {
                sb.append(cs).append(loc.field());
            }
            sb.append(fs).append(error.code()).append(cs).append(describe(error.code())).append(cs).append("HL70357")
                    .append(fs).append('E')
                    .append(fs).append(fs).append(fs).append(fs).append(text);
        }
        sb.append('\r');
    }

    private static boolean versionBefore25(String version) {
        return version.startsWith("2.3") || version.startsWith("2.4") || version.startsWith("2.2")
                || version.startsWith("2.1");
    }

    /** HL7 table 0357 descriptions. */
    static String describe(String code) {
        return switch (code) {
            case "0" -> "Message accepted";
            case "100" -> "Segment sequence error";
            case "101" -> "Required field missing";
            case "102" -> "Data type error";
            case "103" -> "Table value not found";
            case "200" -> "Unsupported message type";
            case "201" -> "Unsupported event code";
            case "202" -> "Unsupported processing id";
            case "203" -> "Unsupported version id";
            case "205" -> "Duplicate key identifier";
            case "207" -> "Application internal error";
            default -> "Error";
        };
    }

    /** Text placed in ERR must not contain delimiters or segment breaks. */
    private static String clean(String text, char fs, char cs, char ss) {
        StringBuilder out = new StringBuilder(Math.min(text.length(), 200));
        for (int i = 0; i < text.length() && out.length() < 200; i++) {
            char c = text.charAt(i);
            out.append(c == fs || c == cs || c == ss || c == '~' || c == '\\' || c == '\r' || c == '\n' ? ' ' : c);
        }
        return out.toString();
    }

    private String nextControlId() {
        return "CB" + controlIdPrefix + Long.toString(sequence.incrementAndGet(), 36).toUpperCase();
    }
}
