package io.carebus.x12.read;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A streaming X12 tokenizer. It reads the delimiters from each ISA (X12 5010: element separator, ISA11 repetition
 * separator, ISA16 component separator, segment terminator), so a file may hold several interchanges, each with its
 * own delimiters, and any number of GS and ST. Memory stays bounded by the longest segment; line breaks after a
 * segment terminator are skipped.
 */
public final class X12Reader implements AutoCloseable {

    private static final int INITIAL_BUFFER = 1 << 16;

    private final InputStream in;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int position;
    private int limit;
    private long consumedBefore;
    private boolean eof;
    private X12Delimiters delimiters;
    private final X12Segment segment = new X12Segment();

    public X12Reader(InputStream in) {
        this.in = in;
    }

    /** Delimiters of the current interchange, null before the first ISA. */
    public X12Delimiters delimiters() {
        return delimiters;
    }

    /** Bytes consumed so far. */
    public long offset() {
        return consumedBefore + position;
    }

    /**
     * The next segment, or null at the end of the input. The returned object is reused by the next call.
     *
     * @throws X12EnvelopeException when an interchange does not start with a readable ISA
     */
    public X12Segment next() {
        skipWhitespace();
        if (available() == 0 && !fill(1)) {
            return null;
        }
        if (startsWithIsa()) {
            fill(X12Delimiters.ISA_LENGTH);
            delimiters = X12Delimiters.fromIsa(buffer, position, limit - position);
        } else if (delimiters == null) {
            throw new X12EnvelopeException("022", "The input does not start with an ISA segment");
        }
        return readSegment();
    }

    private boolean startsWithIsa() {
        fill(3);
        return available() >= 3 && buffer[position] == 'I' && buffer[position + 1] == 'S'
                && buffer[position + 2] == 'A' && (available() == 3 || !Character.isLetterOrDigit(buffer[position + 3]));
    }

    private X12Segment readSegment() {
        final byte term = (byte) delimiters.segment();
        final byte sep = (byte) delimiters.element();
        int scan = position;
        while (true) {
            while (scan < limit && buffer[scan] != term) {
                scan++;
            }
            if (scan < limit) {
                break;
            }
            int scanned = scan - position;
            if (!fill(scanned + 1)) {
                // The last segment has no terminator: hand it out as it is; the validator reports the envelope.
                scan = limit;
                break;
            }
            scan = position + scanned;
        }
        segment.reset(buffer, delimiters, consumedBefore + position);
        int start = position;
        for (int i = position; i < scan; i++) {
            if (buffer[i] == sep) {
                segment.add(start, trimLineBreak(start, i));
                start = i + 1;
            }
        }
        segment.add(start, trimLineBreak(start, scan));
        position = Math.min(scan + 1, limit);
        return segment;
    }

    /** A segment terminator that is itself a line break may come as CR LF: drop the CR. */
    private int trimLineBreak(int start, int end) {
        while (end > start && (buffer[end - 1] == '\r' || buffer[end - 1] == '\n') && delimiters.segment() != '\r') {
            end--;
        }
        return end;
    }

    private void skipWhitespace() {
        while (true) {
            while (position < limit) {
                byte b = buffer[position];
                if (b == '\r' || b == '\n' || b == ' ' || b == '\t' || b == 0x1a) {
                    position++;
                } else {
                    return;
                }
            }
            if (!fill(1)) {
                return;
            }
        }
    }

    private int available() {
        return limit - position;
    }

    /** Makes at least {@code needed} bytes available from the current position; false when the input ends first. */
    private boolean fill(int needed) {
        if (available() >= needed) {
            return true;
        }
        if (eof) {
            return false;
        }
        if (position > 0) {
            int remaining = available();
            System.arraycopy(buffer, position, buffer, 0, remaining);
            consumedBefore += position;
            position = 0;
            limit = remaining;
        }
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(needed, buffer.length * 2));
        }
        try {
            while (limit < needed || limit < buffer.length / 2) {
                int n = in.read(buffer, limit, buffer.length - limit);
                if (n < 0) {
                    eof = true;
                    break;
                }
                limit += n;
            }
        } catch (IOException e) {
            throw new X12ReadException("Reading X12 input failed", e);
        }
        return available() >= needed;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new X12ReadException("Closing X12 input failed", e);
        }
    }
}
