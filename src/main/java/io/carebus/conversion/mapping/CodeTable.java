package io.carebus.conversion.mapping;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A code map read from {@code codesystems/*.yaml}: v2 code → FHIR code (and display) in one FHIR code system,
 * optionally with patterns for open-ended tables (HL7 table 0396: "HL7nnnn" → the v2 table's URI).
 */
public final class CodeTable {

    /** One target concept. */
    public record Concept(String system, String code, String display) {
    }

    /** "HL7(\d{4})" → "http://terminology.hl7.org/CodeSystem/v2-$1". */
    public record PatternRule(Pattern pattern, String replacement) {
    }

    private final String name;
    private final String system;
    private final Map<String, Concept> codes;
    private final List<PatternRule> patterns;
    private final Concept unmapped;
    private final boolean ignoreCase;
    private final boolean unmappedAsText;
    /** FHIR code (and "system|code") → the first v2 code declared for it */
    private final Map<String, String> reverse;

    public CodeTable(String name, String system, Map<String, Concept> codes, List<PatternRule> patterns,
                     Concept unmapped, boolean ignoreCase) {
        this(name, system, codes, patterns, unmapped, ignoreCase, true);
    }

    /** @param unmappedAsText a code the table does not know becomes CodeableConcept.text (false: nothing) */
    public CodeTable(String name, String system, Map<String, Concept> codes, List<PatternRule> patterns,
                     Concept unmapped, boolean ignoreCase, boolean unmappedAsText) {
        this.unmappedAsText = unmappedAsText;
        this.reverse = reverseOf(codes);
        this.name = name;
        this.system = system;
        this.codes = Map.copyOf(codes);
        this.patterns = List.copyOf(patterns);
        this.unmapped = unmapped;
        this.ignoreCase = ignoreCase;
    }

    public String name() {
        return name;
    }

    private static Map<String, String> reverseOf(Map<String, Concept> codes) {
        Map<String, String> reverse = new java.util.HashMap<>();
        // the first v2 code declared for a FHIR code is the one written back (F for female, LN for LOINC)
        codes.entrySet().forEach(e -> {
                    reverse.putIfAbsent(e.getValue().code(), e.getKey());
                    reverse.putIfAbsent(e.getValue().system() + "|" + e.getValue().code(), e.getKey());
                });
        return reverse;
    }

    /** The v2 code for a FHIR code (the reverse direction); null when the table has none. */
    public String v2CodeFor(String system, String code) {
        if (code == null) {
            return null;
        }
        String v2 = system == null ? null : reverse.get(system + "|" + code);
        return v2 != null ? v2 : reverse.get(code);
    }

    /** For a table of URIs (coding-system): the v2 name, undoing the patterns and the local prefix. */
    public String v2NameForUri(String uri) {
        if (uri == null) {
            return "";
        }
        String v2 = reverse.get(uri);
        if (v2 != null) {
            return v2;
        }
        java.util.regex.Matcher table = V2_TABLE.matcher(uri);
        if (table.matches()) {
            return "HL7" + table.group(1);
        }
        if (unmapped != null && unmapped.code() != null && unmapped.code().contains("{code}")) {
            String prefix = unmapped.code().substring(0, unmapped.code().indexOf("{code}"));
            if (uri.startsWith(prefix)) {
                return uri.substring(prefix.length());
            }
        }
        return uri;
    }

    private static final Pattern V2_TABLE = Pattern.compile("http://terminology\\.hl7\\.org/CodeSystem/v2-(\\d{4})");

    public boolean unmappedAsText() {
        return unmappedAsText;
    }

    public String system() {
        return system;
    }

    /** The concept for a v2 code; null when the table neither lists nor matches it and has no fallback. */
    public Concept lookup(String v2Code) {
        Concept c = codes.get(ignoreCase ? v2Code.toUpperCase(java.util.Locale.ROOT) : v2Code);
        if (c != null) {
            return c;
        }
        for (PatternRule p : patterns) {
            Matcher m = p.pattern().matcher(v2Code);
            if (m.matches()) {
                return new Concept(system, m.replaceFirst(p.replacement()), null);
            }
        }
        if (unmapped != null) {
            String code = unmapped.code() == null ? v2Code : unmapped.code().replace("{code}", urlSafe(v2Code));
            return new Concept(unmapped.system(), code, unmapped.display());
        }
        return null;
    }

    /** This table with another table's entries laid over it (a sender's overrides). */
    public CodeTable overlay(CodeTable over) {
        Map<String, Concept> merged = new java.util.HashMap<>(codes);
        merged.putAll(over.codes);
        List<PatternRule> mergedPatterns = new java.util.ArrayList<>(over.patterns);
        mergedPatterns.addAll(patterns);
        return new CodeTable(name, over.system != null ? over.system : system, merged, mergedPatterns,
                over.unmapped != null ? over.unmapped : unmapped, ignoreCase || over.ignoreCase,
                unmappedAsText && over.unmappedAsText);
    }

    static String urlSafe(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.' || c == '_') {
                out.append(c);
            } else {
                out.append('-');
            }
        }
        return out.toString();
    }
}
