package io.carebus.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/** A plain MLLP sender over a real socket: one connection, one message at a time, waits for the ACK. */
public final class MllpClient implements AutoCloseable {

    public static final byte START = 0x0b;
    public static final byte END = 0x1c;
    public static final byte CR = 0x0d;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    public MllpClient(int port) throws IOException {
        this(new Socket("localhost", port));
    }

    /** Over a socket made by the caller (a TLS socket, say). */
    public MllpClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(20_000);
        socket.setTcpNoDelay(true);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    public String send(String message) throws IOException {
        return send(message.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    public String send(byte[] message, Charset ackCharset) throws IOException {
        writeFrame(out, message);
        byte[] ack = readFrame(in);
        return ack == null ? null : new String(ack, ackCharset);
    }

    /** Sends a frame; the ACK, or null when the engine closed or reset the connection instead. */
    public String sendOrNull(String message) {
        try {
            return send(message);
        } catch (IOException closed) {
            return null;
        }
    }

    /** Reads the next frame; null when the engine closed or reset the connection. */
    public String readOrNull() {
        try {
            byte[] frame = readFrame(in);
            return frame == null ? null : new String(frame, StandardCharsets.UTF_8);
        } catch (IOException closed) {
            return null;
        }
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public static void writeFrame(OutputStream out, byte[] message) throws IOException {
        byte[] frame = new byte[message.length + 3];
        frame[0] = START;
        System.arraycopy(message, 0, frame, 1, message.length);
        frame[frame.length - 2] = END;
        frame[frame.length - 1] = CR;
        out.write(frame);
        out.flush();
    }

    /** Reads one frame; null when the connection closed. */
    public static byte[] readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                return null;
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
        int prev = -1;
        while ((b = in.read()) >= 0) {
            if (prev == END && b == CR) {
                byte[] all = buf.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - 1);
            }
            buf.write(b);
            prev = b;
        }
        return null;
    }

    /** The value of one field of one segment in an ER7 text (MSA-1 = field(text, "MSA", 1)). */
    public static String field(String er7, String segment, int field) {
        for (String seg : er7.split("\r")) {
            if (seg.startsWith(segment + "|")) {
                String[] f = seg.split("\\|", -1);
                int index = segment.equals("MSH") ? field - 1 : field;
                return index < f.length ? f[index] : "";
            }
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
