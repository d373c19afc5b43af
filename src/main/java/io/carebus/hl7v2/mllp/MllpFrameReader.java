package io.carebus.hl7v2.mllp;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/**
 * Reads MLLP frames, {@code <VT> HL7 message <FS><CR>} (HL7 v2.5.1 appendix C.4.3), from one connection and says
 * exactly what went wrong when a sender breaks the framing:
 * <ul>
 *   <li>bytes outside a frame (no start block): reported to {@link MllpRejections} and skipped; carriage
 *       returns, line feeds and spaces between frames are tolerated silently;</li>
 *   <li>a start block inside a frame (the end block was never sent): the cut-off frame is reported, the new
 *       frame is read;</li>
 *   <li>a frame over {@code maxFrameBytes}, a sender silent mid-frame for {@code readTimeoutMs}, or a connection
 *       closed mid-frame: {@link MllpFramingException} with the bytes received; the connection must end.</li>
 * </ul>
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
    private final MllpRejections rejections;

    private final byte[] io = new byte[16 * 1024];
    private int pos;
    private int limit;
    private byte[] frame = new byte[4096];
    private int frameLength;
    /** A frame's end block was read and the CR that should follow it is still to be checked. */
    private boolean pendingCarriageReturn;

    MllpFrameReader(Socket socket, int maxFrameBytes, int readTimeoutMs, int idleTimeoutMs,
                    MllpRejections rejections) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.maxFrameBytes = maxFrameBytes;
        this.readTimeoutMs = readTimeoutMs;
        this.idleTimeoutMs = idleTimeoutMs;
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
        socket.setSoTimeout(readTimeoutMs);
        frameLength = 0;
        while (true) {
            if (pos == limit && !fill(true)) {
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
        socket.setSoTimeout(idleTimeoutMs);
        ByteArrayOutputStream stray = null;
        try {
            while (true) {
                if (pos == limit && !fill(false)) {
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
                    // once stray data has begun, the rest of it must come within the read timeout
                    socket.setSoTimeout(readTimeoutMs);
                }
                if (stray.size() < maxFrameBytes) {
                    stray.write(b);
                }
            }
        } catch (SocketTimeoutException e) {
            if (stray != null) {
                throw new MllpFramingException("Data outside an MLLP frame (no start block)", stray.toByteArray());
            }
            throw e;
        }
    }

    private void reportStray(ByteArrayOutputStream stray) {
        if (stray != null) {
            rejections.rejected("Data outside an MLLP frame (no start block)", stray.toByteArray());
        }
    }

    /**
     * Reads more bytes; false at the end of the stream. A timeout inside a frame is a broken frame; between
     * frames it is the caller's idle timeout.
     */
    private boolean fill(boolean insideFrame) throws IOException {
        int n;
        try {
            n = in.read(io, 0, io.length);
        } catch (SocketTimeoutException e) {
            if (insideFrame) {
                throw new MllpFramingException("Sender silent for " + readTimeoutMs + " ms in the middle of a frame",
                        copyOfFrame());
            }
            throw e;
        }
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
