package io.carebus.hl7v2.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads MLLP frames, {@code <VT> HL7 message <FS><CR>} (HL7 v2.5.1 appendix C.4.3), from one connection and says
 * exactly what went wrong when a sender breaks the framing:
 * <ul>
 *   <li>bytes outside a frame (no start block): reported to {@link MllpRejections} and skipped; carriage
 *       returns, line feeds and spaces between frames are tolerated silently;</li>
 *   <li>a start block inside a frame (the end block was never sent): the cut-off frame is reported, the new
 *       frame is read;</li>
 *   <li>a frame over {@code maxFrameBytes}, a sender silent mid-frame for {@code readTimeoutMs}, a frame not
 *       complete within {@code frameTimeoutMs} of its start block (a sender dribbling bytes just often enough to
 *       beat the read timeout would otherwise hold a connection for ever), or a connection closed mid-frame:
 *       {@link MllpFramingException} with the bytes received; the connection must end.</li>
 * </ul>
 * Data outside a frame has the same deadline from its first byte.
 * Between frames the connection may stay silent for {@code idleTimeoutMs} ({@link SocketTimeoutException}).
 */
final class MllpFrameReader {

    static final byte START_BLOCK = 0x0b;
    static final byte END_BLOCK = 0x1c;
    static final byte CARRIAGE_RETURN = 0x0d;

    private final Socket socket;
    private final InputStream in;
    private final int maxFrameBytes;
    private final int readTimeoutMs;
    private final int idleTimeoutMs;
    private final int frameTimeoutMs;
    private final MllpRejections rejections;

    private final byte[] io = new byte[16 * 1024];
    private int pos;
    private int limit;
    private byte[] frame = new byte[4096];
    private int frameLength;
    /** A frame's end block was read and the CR that should follow it is still to be checked. */
    private boolean pendingCarriageReturn;
    /** System.nanoTime() by which the frame (or the stray data) being read must be complete. */
    private long deadline;
    private int soTimeout = -1;

    MllpFrameReader(Socket socket, int maxFrameBytes, int readTimeoutMs, int idleTimeoutMs, int frameTimeoutMs,
                    MllpRejections rejections) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.maxFrameBytes = maxFrameBytes;
        this.readTimeoutMs = readTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.frameTimeoutMs = frameTimeoutMs;
        this.rejections = rejections;
    }

    /**
     * The payload of the next frame, or null when the sender closed the connection between frames.
     *
     * @throws SocketTimeoutException the connection was idle between frames for the idle timeout
     * @throws MllpFramingException   the frame was broken; the connection cannot go on
     */
    byte[] next() throws IOException {
        if (!skipToStartBlock()) {
            return null;
        }
        startDeadline();
        frameLength = 0;
        while (true) {
            if (pos == limit && !fillInFrame()) {
                throw new MllpFramingException("Connection closed in the middle of a frame", copyOfFrame());
            }
            byte b = io[pos++];
            if (b == END_BLOCK) {
                pendingCarriageReturn = true;
                return copyOfFrame();
            }
            if (b == START_BLOCK) {
                // the end block never came: keep what was sent, then read the frame that starts here
                rejections.rejected("Frame without an end block (a new start block came first)", copyOfFrame());
                frameLength = 0;
                startDeadline();
                continue;
            }
            if (frameLength == maxFrameBytes) {
                throw new MllpFramingException("Frame larger than " + maxFrameBytes + " bytes", copyOfFrame());
            }
            if (frameLength == frame.length) {
                frame = Arrays.copyOf(frame, Math.min(maxFrameBytes, frame.length * 2));
            }
            frame[frameLength++] = b;
        }
    }

    /** Skips to the next start block; false at the end of the stream. Stray bytes are reported, not lost. */
    private boolean skipToStartBlock() throws IOException {
        ByteArrayOutputStream stray = null;
        try {
            while (true) {
                if (pos == limit && !(stray == null ? fillBetweenFrames() : fill())) {
                    reportStray(stray);
                    return false;
                }
                byte b = io[pos++];
                if (pendingCarriageReturn) {
                    pendingCarriageReturn = false;
                    if (b == CARRIAGE_RETURN) {
                        continue;
                    }
                }
                if (b == START_BLOCK) {
                    reportStray(stray);
                    return true;
                }
                if (b == CARRIAGE_RETURN || b == '\n' || b == ' ') {
                    continue;
                }
                if (stray == null) {
                    stray = new ByteArrayOutputStream(256);
                    // once stray data has begun, the rest of it must come within the read and frame timeouts
                    startDeadline();
                }
                if (stray.size() < maxFrameBytes) {
                    stray.write(b);
                }
            }
        } catch (SocketTimeoutException e) {
            if (stray == null) {
                throw e;
            }
            String reason = "Data outside an MLLP frame (no start block)";
            throw new MllpFramingException(pastDeadline() ? reason + " still coming " + frameTimeoutMs
                    + " ms after its first byte" : reason, stray.toByteArray());
        }
    }

    private void startDeadline() {
        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(frameTimeoutMs);
    }

    /** Between frames: reads more bytes within the idle timeout; false at the end of the stream. */
    private boolean fillBetweenFrames() throws IOException {
        timeout(idleTimeoutMs);
        return read();
    }

    private void reportStray(ByteArrayOutputStream stray) {
        if (stray != null) {
            rejections.rejected("Data outside an MLLP frame (no start block)", stray.toByteArray());
        }
    }

    /** Inside a frame: {@link #fill}, a timeout being a broken frame. */
    private boolean fillInFrame() throws IOException {
        try {
            return fill();
        } catch (SocketTimeoutException e) {
            throw new MllpFramingException(pastDeadline()
                    ? "Frame not complete within " + frameTimeoutMs + " ms of its start block"
                    : "Sender silent for " + readTimeoutMs + " ms in the middle of a frame", copyOfFrame());
        }
    }

    /**
     * Inside a frame or stray data: reads more bytes within the read timeout and before the deadline; false at the
     * end of the stream.
     *
     * @throws SocketTimeoutException the read timeout or the deadline ({@link #pastDeadline()}) passed
     */
    private boolean fill() throws IOException {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
            throw new SocketTimeoutException("frame deadline passed");
        }
        timeout((int) Math.min(readTimeoutMs, left));
        return read();
    }

    private boolean pastDeadline() {
        return deadline - System.nanoTime() <= 0;
    }

    private void timeout(int ms) throws IOException {
        if (ms != soTimeout) {
            socket.setSoTimeout(ms);
            soTimeout = ms;
        }
    }

    private boolean read() throws IOException {
        int n = in.read(io, 0, io.length);
        if (n < 0) {
            return false;
        }
        pos = 0;
        limit = n;
        return true;
    }

    private byte[] copyOfFrame() {
        return Arrays.copyOf(frame, frameLength);
    }
}
