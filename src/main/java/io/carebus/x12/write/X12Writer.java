package io.carebus.x12.write;

import io.carebus.x12.read.X12Delimiters;

/**
 * Writes X12 segments with a given set of delimiters: trailing empty elements are dropped (X12.6), composites are
 * passed as {@code String[]} and joined with the component separator, and the segment count of the current
 * transaction set is kept for SE01.
 */
public final class X12Writer {

    private final StringBuilder out = new StringBuilder(1024);
    private final X12Delimiters delimiters;
    private final String lineBreak;
    private int transactionSegments;

    public X12Writer(X12Delimiters delimiters, boolean lineBreakAfterSegment) {
        this.delimiters = delimiters;
        this.lineBreak = lineBreakAfterSegment ? "\n" : "";
    }

    public X12Delimiters delimiters() {
        return delimiters;
    }

    /** Writes one segment; elements may be String, String[] (a composite) or null (empty). */
    public X12Writer segment(String id, Object... elements) {
        int last = elements.length;
        while (last > 0 && isEmpty(elements[last - 1])) {
            last--;
        }
        out.append(id);
        for (int i = 0; i < last; i++) {
            out.append(delimiters.element());
            Object e = elements[i];
            if (e instanceof String[] composite) {
                int lastComponent = composite.length;
                while (lastComponent > 0 && (composite[lastComponent - 1] == null
                        || composite[lastComponent - 1].isEmpty())) {
                    lastComponent--;
                }
                for (int c = 0; c < lastComponent; c++) {
                    if (c > 0) {
                        out.append(delimiters.component());
                    }
                    out.append(clean(composite[c]));
                }
            } else if (e != null) {
                out.append(clean(e.toString()));
            }
        }
        out.append(delimiters.segment()).append(lineBreak);
        transactionSegments++;
        return this;
    }

    /** Writes a segment as is (the fixed-width ISA). */
    public X12Writer raw(String segment) {
        out.append(segment).append(delimiters.segment()).append(lineBreak);
        return this;
    }

    /** Starts counting segments for a new transaction set (ST counts as 1). */
    public void startTransaction() {
        transactionSegments = 0;
    }

    /** Segments written since {@link #startTransaction()}, for SE01 (SE included when called before SE). */
    public int transactionSegments() {
        return transactionSegments;
    }

    private static boolean isEmpty(Object e) {
        if (e == null) {
            return true;
        }
        if (e instanceof String[] composite) {
            for (String c : composite) {
                if (c != null && !c.isEmpty()) {
                    return false;
                }
            }
            return true;
        }
        return e.toString().isEmpty();
    }

    /** Delimiter characters cannot travel inside data: they become spaces. */
    private String clean(String value) {
        if (value == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == delimiters.element() || c == delimiters.component() || c == delimiters.segment()
                    || c == delimiters.repetition() || c == '\r' || c == '\n') {
                if (sb == null) {
                    sb = new StringBuilder(value);
                }
                sb.setCharAt(i, ' ');
            }
        }
        return sb == null ? value : sb.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
