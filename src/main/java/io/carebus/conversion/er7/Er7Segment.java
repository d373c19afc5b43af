package io.carebus.conversion.er7;

/**
 * One segment, split into fields once. Field numbers are the HL7 ones: {@code field(3)} of PID is PID-3; for
 * MSH, {@code field(1)} is the field separator and {@code field(2)} the encoding characters (MSH-1, MSH-2).
 * Values are raw (still escaped); {@link Er7Message#text} unescapes a leaf.
 */
public final class Er7Segment {

    private final String name;
    private final String[] fields;
    private final int index;

    Er7Segment(String name, String[] fields, int index) {
        this.name = name;
        this.fields = fields;
        this.index = index;
    }

    public String name() {
        return name;
    }

    /** Position of the segment in its message, from 0 (MSH). */
    public int index() {
        return index;
    }

    /** The raw field, "" when absent. */
    public String field(int number) {
        return number < fields.length && number >= 0 ? fields[number] : "";
    }

    public int fieldCount() {
        return fields.length - 1;
    }

    public boolean isZSegment() {
        return !name.isEmpty() && name.charAt(0) == 'Z';
    }
}
