package io.carebus.routing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import ca.uhn.hl7v2.ErrorCode;

/**
 * Why a downstream system refused a message, as its ACK says it in codes: MSA-6 (v2.3/v2.4 error condition), and per
 * ERR segment ERR-3 (HL7 error code, table 0357), ERR-4 (severity, table 0516), ERR-2 (error location) and, in
 * v2.3/v2.4 ACKs, ERR-1 (location and code). Codes only: every value must look like a code or a location, and the
 * text shown for a table 0357 code is the table's own. Free text (MSA-3 text message, ERR-3.2 as written by the
 * downstream, ERR-7 diagnostic information, ERR-8 user message) may quote the message and so carry patient data;
 * it is kept apart in {@link #freeText()}, which only a destination that allows it puts in the journal.
 */
record AckErrorDetails(String codes, String freeText) {

    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9._-]{1,20}");
    private static final Pattern SEGMENT_ID = Pattern.compile("[A-Z][A-Z0-9]{2}");
    private static final Pattern NUMBER = Pattern.compile("\\d{1,5}");
    private static final String HL7_ERROR_CODES = "HL70357";

    static final AckErrorDetails NONE = new AckErrorDetails("", "");

    /** Reads the ACK's MSA and ERR segments; {@code ack} is an HL7 v2 message starting with MSH. */
    static AckErrorDetails of(String ack) {
        if (ack == null || ack.length() < 8 || !ack.startsWith("MSH")) {
            return NONE;
        }
        Delimiters d = new Delimiters(ack.charAt(3), ack.charAt(4), ack.charAt(5), ack.charAt(7));
        List<String> codes = new ArrayList<>();
        List<String> text = new ArrayList<>();
        int errNumber = 0;
        for (String segment : ack.split("[\r\n]+")) {
            String[] fields = segment.split(Pattern.quote(String.valueOf(d.field())), -1);
            if (fields[0].equals("MSA")) {
                // HL7 v2.3 2.16.8.6 MSA-6 error condition (CE, table 0357); withdrawn in v2.5 in favour of ERR
                String condition = errorCode(d.components(field(fields, 6)));
                if (!condition.isEmpty()) {
                    codes.add("MSA-6 " + condition);
                }
                addText(text, "MSA-3", field(fields, 3));
            } else if (fields[0].equals("ERR")) {
                errNumber++;
                codes.add(err(fields, d, errNumber));
                addText(text, "ERR#" + errNumber + " ERR-3.2", d.components(field(fields, 3)).length > 1
                        ? d.components(field(fields, 3))[1] : "");
                addText(text, "ERR#" + errNumber + " ERR-7", field(fields, 7));
                addText(text, "ERR#" + errNumber + " ERR-8", field(fields, 8));
            }
        }
        codes.removeIf(String::isEmpty);
        return new AckErrorDetails(String.join("; ", codes), String.join("; ", text));
    }

    /** One ERR segment's codes (HL7 v2.5.1 2.15.5): ERR-3, ERR-4, ERR-2, and the v2.3-style ERR-1. */
    private static String err(String[] fields, Delimiters d, int number) {
        List<String> parts = new ArrayList<>();
        String code = errorCode(d.components(field(fields, 3)));
        if (!code.isEmpty()) {
            parts.add("ERR-3 " + code);
        }
        String severity = field(fields, 4);
        if (CODE.matcher(severity).matches()) {
            parts.add("ERR-4 " + severity);    // table 0516: E error, W warning, I information, F fatal
        }
        List<String> locations = new ArrayList<>();
        for (String location : d.repetitions(field(fields, 2))) {
            String l = location(d.components(location), 6);
            if (!l.isEmpty()) {
                locations.add(l);
            }
        }
        if (!locations.isEmpty()) {
            parts.add("ERR-2 " + String.join(",", locations));
        }
        // HL7 v2.3 2.16.5.1 ERR-1 error code and location (ELD): segment ID ^ sequence ^ field position ^ code (CE)
        for (String eld : d.repetitions(field(fields, 1))) {
            String[] c = d.components(eld);
            String location = location(c, 3);
            String eldCode = c.length > 3 ? errorCode(d.subcomponents(c[3])) : "";
            if (!location.isEmpty() || !eldCode.isEmpty()) {
                parts.add("ERR-1 " + location + (eldCode.isEmpty() ? "" : (location.isEmpty() ? "" : " ") + eldCode));
            }
        }
        return parts.isEmpty() ? "" : (number > 1 ? "ERR#" + number + " " : "") + String.join(", ", parts);
    }

    /**
     * A CWE / CE error code: its identifier, with table 0357's text when it is one of that table's codes, and the
     * coding system when it is another.
     */
    private static String errorCode(String[] cwe) {
        String identifier = cwe.length > 0 ? cwe[0] : "";
        if (!CODE.matcher(identifier).matches()) {
            return "";
        }
        String system = cwe.length > 2 ? cwe[2] : "";
        if (!system.isEmpty() && !system.equalsIgnoreCase(HL7_ERROR_CODES)) {
            return CODE.matcher(system).matches() ? identifier + " (" + system + ")" : identifier;
        }
        return Arrays.stream(ErrorCode.values()).filter(e -> String.valueOf(e.getCode()).equals(identifier))
                .findFirst().map(e -> identifier + " " + e.getMessage()).orElse(identifier);
    }

    /**
     * An ERL (or the first components of an ELD): segment ID, then numbers (sequence, field, repetition,
     * component, sub-component), written as SEG^1^3; empty unless every part looks like one.
     */
    private static String location(String[] components, int max) {
        if (components.length == 0 || !SEGMENT_ID.matcher(components[0]).matches()) {
            return "";
        }
        StringBuilder out = new StringBuilder(components[0]);
        for (int i = 1; i < Math.min(components.length, max); i++) {
            if (!components[i].isEmpty() && !NUMBER.matcher(components[i]).matches()) {
                return "";
            }
            out.append('^').append(components[i]);
        }
        return out.toString().replaceAll("\\^+$", "");
    }

    private static String field(String[] fields, int n) {
        return fields.length > n ? fields[n] : "";
    }

    private static void addText(List<String> text, String name, String value) {
        if (value != null && !value.isBlank()) {
            text.add(name + " " + value.strip());
        }
    }

    /** MSH-1 and MSH-2 of the ACK: field, component, repetition and sub-component separators. */
    private record Delimiters(char field, char component, char repetition, char subcomponent) {

        String[] components(String value) {
            return value.split(Pattern.quote(String.valueOf(component)), -1);
        }

        String[] repetitions(String value) {
            return value.isEmpty() ? new String[0] : value.split(Pattern.quote(String.valueOf(repetition)), -1);
        }

        String[] subcomponents(String value) {
            return value.split(Pattern.quote(String.valueOf(subcomponent)), -1);
        }
    }
}
