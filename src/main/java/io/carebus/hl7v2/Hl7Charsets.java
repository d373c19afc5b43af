package io.carebus.hl7v2;

import java.nio.charset.Charset;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** MSH-18 character set values (HL7 table 0211) to Java charsets. */
public final class Hl7Charsets {

    private static final Map<String, String> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", "US-ASCII"),
            Map.entry("8859/1", "ISO-8859-1"),
            Map.entry("8859/2", "ISO-8859-2"),
            Map.entry("8859/3", "ISO-8859-3"),
            Map.entry("8859/4", "ISO-8859-4"),
            Map.entry("8859/5", "ISO-8859-5"),
            Map.entry("8859/6", "ISO-8859-6"),
            Map.entry("8859/7", "ISO-8859-7"),
            Map.entry("8859/8", "ISO-8859-8"),
            Map.entry("8859/9", "ISO-8859-9"),
            Map.entry("8859/15", "ISO-8859-15"),
            Map.entry("UNICODE", "UTF-8"),
            Map.entry("UNICODE UTF-8", "UTF-8"),
            Map.entry("UNICODE UTF-16", "UTF-16"),
            Map.entry("UNICODE UTF-32", "UTF-32"),
            Map.entry("ISO IR6", "US-ASCII"),
            Map.entry("ISO IR100", "ISO-8859-1"),
            Map.entry("ISO IR192", "UTF-8"),
            Map.entry("ISO IR87", "ISO-2022-JP"),
            Map.entry("ISO IR159", "ISO-2022-JP"),
            Map.entry("GB 18030-2000", "GB18030"),
            Map.entry("KS X 1001", "EUC-KR"),
            Map.entry("CNS 11643-1992", "x-EUC-TW"),
            Map.entry("BIG-5", "Big5"),
            Map.entry("UTF-8", "UTF-8"),
            Map.entry("WINDOWS-1252", "windows-1252"),
            Map.entry("CP1252", "windows-1252"));

    private Hl7Charsets() {
    }

    /**
     * UTF-16 or UTF-32, in any byte order (the resolved charset, so aliases such as "UnicodeBig" count too). MLLP
     * frames a message with single bytes (0x0B ... 0x1C 0x0D), which UTF-16/32 text can contain, and the MSH
     * segment, read as ASCII before MSH-18 is known, is not ASCII in them: MLLP carries single-byte encodings and
     * UTF-8 (HL7 MLLP Release 1, character encoding), so these are refused.
     */
    public static boolean isUtf16Or32(Charset charset) {
        String name = charset.name().toUpperCase(Locale.ROOT);
        return name.contains("UTF-16") || name.contains("UTF-32");
    }

    /**
     * The Java charset for an MSH-18 value (first repetition), or empty when unknown. Also accepts Java names. A
     * charset Java reads but cannot write (ISO-2022-CN, x-JISAutoDetect) is empty too: the acknowledgement is
     * written in the message's charset, and a message Carebus cannot answer must be refused, not stored unanswered.
     */
    public static Optional<Charset> forMsh18(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return Optional.empty();
        }
        String key = msh18.trim().toUpperCase(Locale.ROOT);
        String javaName = TABLE_0211.get(key);
        try {
            return Optional.of(Charset.forName(javaName != null ? javaName : msh18.trim())).filter(Charset::canEncode);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
