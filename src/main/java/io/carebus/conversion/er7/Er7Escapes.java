package io.carebus.conversion.er7;

/**
 * HL7 v2 escape sequences (v2.5.1 chapter 2.7): \F\ \S\ \T\ \R\ \E\ for the delimiters, \Xhh..\ for bytes,
 * \.br\ for a line break; highlighting (\H\ \N\) and other formatting commands are dropped.
 */
public final class Er7Escapes {

    private Er7Escapes() {
    }

    public static String unescape(String raw, Er7Delimiters d) {
        char esc = d.escape();
        if (raw.indexOf(esc) < 0) {
            return raw;
        }
        StringBuilder out = new StringBuilder(raw.length());
        int i = 0;
        int n = raw.length();
        while (i < n) {
            char c = raw.charAt(i);
            int end = c == esc ? raw.indexOf(esc, i + 1) : -1;
            if (end < 0) {
                out.append(c);
                i++;
                continue;
            }
            String seq = raw.substring(i + 1, end);
            if (!appendSequence(seq, d, out)) {
                // not an escape sequence: keep the text as sent
                out.append(c);
                i++;
                continue;
            }
            i = end + 1;
        }
        return out.toString();
    }

    private static boolean appendSequence(String seq, Er7Delimiters d, StringBuilder out) {
        switch (seq) {
            case "F" -> out.append(d.field());
            case "S" -> out.append(d.component());
            case "T" -> out.append(d.subcomponent());
            case "R" -> out.append(d.repetition());
            case "E" -> out.append(d.escape());
            case ".br" -> out.append('\n');
            case "H", "N", ".sp", ".in", ".ti", ".sk", ".ce", ".fi", ".nf" -> { }
            default -> {
                if (seq.length() > 1 && (seq.charAt(0) == 'X' || seq.charAt(0) == 'x') && isHex(seq, 1)) {
                    appendHex(seq, out);
                } else if (seq.startsWith(".sp") || seq.startsWith(".in") || seq.startsWith(".ti")) {
                    out.append('\n');
                } else {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean isHex(String s, int from) {
        if ((s.length() - from) % 2 != 0) {
            return false;
        }
        for (int i = from; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static void appendHex(String seq, StringBuilder out) {
        byte[] bytes = new byte[(seq.length() - 1) / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(seq.substring(1 + 2 * i, 3 + 2 * i), 16);
        }
        out.append(new String(bytes, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Escapes the delimiters in a value written into a field (the reverse direction). */
    public static String escape(String value, Er7Delimiters d) {
        if (value == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String replacement = null;
            if (c == d.escape()) {
                replacement = "E";
            } else if (c == d.field()) {
                replacement = "F";
            } else if (c == d.component()) {
                replacement = "S";
            } else if (c == d.subcomponent()) {
                replacement = "T";
            } else if (c == d.repetition()) {
                replacement = "R";
            } else if (c == '\n') {
                replacement = ".br";
            } else if (c == '\r') {
                continue;
            }
            if (replacement != null) {
                if (out == null) {
                    out = new StringBuilder(value.length() + 8).append(value, 0, i);
                }
                out.append(d.escape()).append(replacement).append(d.escape());
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? value : out.toString();
    }
}
