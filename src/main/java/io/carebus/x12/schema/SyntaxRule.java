package io.carebus.x12.schema;

/**
 * An X12 segment syntax note (X12.6): P paired, R required (at least one), E exclusion (at most one), C conditional
 * (if the first, then all others), L list conditional (if the first, then at least one other).
 *
 * @param positions element positions, 1-based, in the order the note names them
 */
public record SyntaxRule(char kind, int[] positions) {

    /** Parses a note like P0607 or C1203 or R020305. */
    public static SyntaxRule parse(String note) {
        char kind = note.charAt(0);
        int n = (note.length() - 1) / 2;
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            positions[i] = Integer.parseInt(note.substring(1 + 2 * i, 3 + 2 * i));
        }
        return new SyntaxRule(kind, positions);
    }
}
