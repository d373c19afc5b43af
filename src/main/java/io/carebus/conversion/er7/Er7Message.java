package io.carebus.conversion.er7;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import io.carebus.hl7v2.Hl7MessageHeader;

/**
 * An HL7 v2 message in ER7 encoding, tokenised once into segments and fields; components, repetitions and
 * subcomponents are cut out of a field on demand ({@link #piece}). Segments may end in CR, LF or CRLF.
 * Delimiters come from MSH-1 and MSH-2.
 */
public final class Er7Message {

    private final Er7Delimiters delimiters;
    private final List<Er7Segment> segments;

    private Er7Message(Er7Delimiters delimiters, List<Er7Segment> segments) {
        this.delimiters = delimiters;
        this.segments = segments;
    }

    public static Er7Message parse(String text) {
        int start = text.indexOf("MSH");
        if (start < 0 || text.length() < start + 8) {
            throw new Er7ParseException("Not an HL7 v2 message: no MSH segment");
        }
        if (!text.substring(0, start).isBlank() && text.charAt(0) != '\uFEFF') {
            throw new Er7ParseException("Not an HL7 v2 message: text before the MSH segment");
        }
        char fieldSeparator = text.charAt(start + 3);
        int encEnd = text.indexOf(fieldSeparator, start + 4);
        if (encEnd < 0 || encEnd - (start + 4) < 2) {
            throw new Er7ParseException("MSH-2 (encoding characters) is missing");
        }
        Er7Delimiters d = Er7Delimiters.of(fieldSeparator, text.substring(start + 4, encEnd));
        List<Er7Segment> segments = new ArrayList<>(16);
        int n = text.length();
        int pos = start;
        while (pos < n) {
            int end = pos;
            while (end < n && text.charAt(end) != '\r' && text.charAt(end) != '\n') {
                end++;
            }
            if (end - pos >= 3) {
                Er7Segment segment = segment(text, pos, end, d, segments.size());
                if (segment != null) {
                    segments.add(segment);
                }
            }
            pos = end + 1;
        }
        return new Er7Message(d, Collections.unmodifiableList(segments));
    }

    private static Er7Segment segment(String text, int from, int to, Er7Delimiters d, int index) {
        String line = text.substring(from, to);
        String name = line.length() >= 3 ? line.substring(0, 3) : line;
        if (!isSegmentName(name) || (line.length() > 3 && line.charAt(3) != d.field())) {
            return null;
        }
        boolean msh = "MSH".equals(name) || "BHS".equals(name) || "FHS".equals(name);
        int count = 1;
        for (int i = 3; i < line.length(); i++) {
            if (line.charAt(i) == d.field()) {
                count++;
            }
        }
        String[] fields = new String[msh ? count + 1 : count];
        fields[0] = name;
        int f = 1;
        int i = 4;
        if (msh) {
            fields[1] = String.valueOf(d.field());
            f = 2;
        }
        int fieldStart = i;
        for (; i <= line.length(); i++) {
            if (i == line.length() || line.charAt(i) == d.field()) {
                if (f < fields.length) {
                    fields[f++] = fieldStart <= i ? line.substring(Math.min(fieldStart, line.length()), i) : "";
                }
                fieldStart = i + 1;
            }
        }
        while (f < fields.length) {
            fields[f++] = "";
        }
        return new Er7Segment(name, fields, index);
    }

    private static boolean isSegmentName(String name) {
        if (name.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')) {
                return false;
            }
        }
        return true;
    }

    public Er7Delimiters delimiters() {
        return delimiters;
    }

    public List<Er7Segment> segments() {
        return segments;
    }

    public Er7Segment first(String name) {
        for (Er7Segment s : segments) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** The nearest segment of that name before a position, else the first one after it; null when none. */
    public Er7Segment nearestBefore(String name, int index) {
        for (int i = Math.min(index, segments.size()) - 1; i >= 0; i--) {
            if (segments.get(i).name().equals(name)) {
                return segments.get(i);
            }
        }
        return first(name);
    }

    public Er7Segment msh() {
        return segments.get(0);
    }

    /** MSH-9.1, e.g. ADT. */
    public String messageCode() {
        return text(piece(msh().field(9), delimiters.component(), 1));
    }

    /** MSH-9.2, e.g. A01; for v2.3 messages without it, EVN-1. */
    public String triggerEvent() {
        String trigger = text(piece(msh().field(9), delimiters.component(), 2));
        if (trigger.isEmpty() && first("EVN") != null) {
            trigger = text(first("EVN").field(1));
        }
        return trigger;
    }

    /** MSH-10. */
    public String controlId() {
        return text(msh().field(10));
    }

    /** MSH-12.1. */
    public String version() {
        return text(piece(msh().field(12), delimiters.component(), 1));
    }

    /**
     * The sender as the journal and the routing table key it ({@link Hl7MessageHeader#sender()}): LAB^NORTH, or
     * the whole HDs (^1.2.3^ISO|NORTH) when a universal id is given, so two senders known by their OIDs alone keep
     * their own mappings and Provenance ids.
     */
    public String sender() {
        return Hl7MessageHeader.hdPair(msh().field(3), msh().field(4), delimiters.component());
    }

    /** The unescaped text of a leaf value. */
    public String text(String raw) {
        return Er7Escapes.unescape(raw, delimiters);
    }

    /**
     * The index-th (from 1) piece of a value split on a separator, without allocating the other pieces; ""
     * when absent.
     */
    public static String piece(String value, char separator, int index) {
        if (value.isEmpty() || index < 1) {
            return "";
        }
        int start = 0;
        for (int i = 1; i < index; i++) {
            int next = value.indexOf(separator, start);
            if (next < 0) {
                return "";
            }
            start = next + 1;
        }
        int end = value.indexOf(separator, start);
        if (start == 0 && end < 0) {
            return value;
        }
        return value.substring(start, end < 0 ? value.length() : end);
    }

    /** How many pieces a value has when split on a separator (0 for an empty value). */
    public static int pieceCount(String value, char separator) {
        if (value.isEmpty()) {
            return 0;
        }
        int count = 1;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                count++;
            }
        }
        return count;
    }

    /** HL7 v2 "" (two double quotes): the field is to be deleted in the receiver (v2.5.1 chapter 2.5.3). */
    public static boolean isDeleteValue(String raw) {
        return raw.length() == 2 && raw.charAt(0) == '"' && raw.charAt(1) == '"';
    }
}
