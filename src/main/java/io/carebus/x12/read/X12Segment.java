package io.carebus.x12.read;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One segment as read: a view over the reader's buffer, valid until the reader moves on ({@link #copy()} keeps it).
 * Element 0 is the segment id; elements 1..n are the data elements as written, composites and repetitions unsplit.
 */
public final class X12Segment {

    private byte[] buffer;
    private int[] starts = new int[64];
    private int[] ends = new int[64];
    private int count;
    private X12Delimiters delimiters;
    /** 1-based position of this segment in its transaction set (ST = 1), as 999 IK302 counts it. */
    private int positionInTransaction;
    private long offsetInFile;

    X12Segment() {
    }

    void reset(byte[] buffer, X12Delimiters delimiters, long offsetInFile) {
        this.buffer = buffer;
        this.delimiters = delimiters;
        this.offsetInFile = offsetInFile;
        this.count = 0;
    }

    void add(int start, int end) {
        if (count == starts.length) {
            starts = java.util.Arrays.copyOf(starts, count * 2);
            ends = java.util.Arrays.copyOf(ends, count * 2);
        }
        starts[count] = start;
        ends[count] = end;
        count++;
    }

    public X12Delimiters delimiters() {
        return delimiters;
    }

    /** The segment id (ISA, GS, ST, NM1...). */
    public String id() {
        return element(0);
    }

    /** Up to the first three characters of the id packed in an int, for quick comparison. */
    public int idCode() {
        return packedId(buffer, starts[0], ends[0]);
    }

    public static int packedId(byte[] b, int start, int end) {
        int code = 0;
        for (int i = start; i < end && i < start + 3; i++) {
            code = (code << 8) | (b[i] & 0xff);
        }
        return code;
    }

    public static int packedId(String id) {
        byte[] b = id.getBytes(StandardCharsets.ISO_8859_1);
        return packedId(b, 0, b.length);
    }

    /** Number of data elements present (trailing empty ones included when written). */
    public int elementCount() {
        return count - 1;
    }

    /** Element {@code n} (1-based) as written, "" when absent. */
    public String element(int n) {
        if (n >= count) {
            return "";
        }
        return new String(buffer, starts[n], ends[n] - starts[n], StandardCharsets.ISO_8859_1);
    }

    public boolean isEmpty(int n) {
        return n >= count || ends[n] == starts[n];
    }

    public int start(int n) {
        return starts[n];
    }

    public int end(int n) {
        return ends[n];
    }

    public byte[] buffer() {
        return buffer;
    }

    /** True when element {@code n} equals {@code value} (no allocation). */
    public boolean elementEquals(int n, String value) {
        if (n >= count) {
            return value.isEmpty();
        }
        int len = ends[n] - starts[n];
        if (len != value.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if ((buffer[starts[n] + i] & 0xff) != value.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Component {@code c} (1-based) of element {@code n}, "" when absent. */
    public String component(int n, int c) {
        return components(n).size() >= c ? components(n).get(c - 1) : "";
    }

    /** The components of element {@code n} split on the component separator. */
    public List<String> components(int n) {
        return split(element(n), delimiters.component());
    }

    /** The repetitions of element {@code n} split on the repetition separator. */
    public List<String> repetitions(int n) {
        return split(element(n), delimiters.repetition());
    }

    static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>(4);
        int from = 0;
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) == separator) {
                parts.add(value.substring(from, i));
                from = i + 1;
            }
        }
        parts.add(value.substring(from));
        return parts;
    }

    public int positionInTransaction() {
        return positionInTransaction;
    }

    public void positionInTransaction(int position) {
        this.positionInTransaction = position;
    }

    public long offsetInFile() {
        return offsetInFile;
    }

    /** A detached copy that outlives the reader's buffer. */
    public X12Segment copy() {
        X12Segment copy = new X12Segment();
        int from = starts[0];
        int to = ends[count - 1];
        byte[] own = java.util.Arrays.copyOfRange(buffer, from, to);
        copy.reset(own, delimiters, offsetInFile);
        for (int i = 0; i < count; i++) {
            copy.add(starts[i] - from, ends[i] - from);
        }
        copy.positionInTransaction = positionInTransaction;
        return copy;
    }

    /** All elements as strings (element 0 is the id). */
    public String[] toArray() {
        String[] out = new String[count];
        for (int i = 0; i < count; i++) {
            out[i] = element(i);
        }
        return out;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                sb.append(delimiters.element());
            }
            sb.append(element(i));
        }
        return sb.toString();
    }
}
