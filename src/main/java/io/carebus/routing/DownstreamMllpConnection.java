package io.carebus.routing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MLLP connection to one downstream system (HL7 v2.5.1 Appendix C, MLLP release 1), kept open between
 * messages and shared by the destination's consumers, one message at a time. After sending a message it reads
 * frames until the acknowledgement whose MSA-2 is that message's MSH-10, passing over a later answer to a message
 * sent before on the same connection: an application ACK that follows its commit ACK (enhanced mode, HL7 v2.5.1
 * 2.9.3), or a second answer to one message. Without that the late frame would be read as the next message's
 * answer, and every message after it would be judged by its predecessor's ACK. With TLS ({@link DownstreamTls})
 * the handshake is part of connecting: a failed one is a connection failure, retried as any other.
 */
final class DownstreamMllpConnection implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DownstreamMllpConnection.class);

    private static final int START_BLOCK = 0x0b;
    private static final int END_BLOCK = 0x1c;
    private static final int CARRIAGE_RETURN = 0x0d;
    /** An acknowledgement is a few hundred bytes; a downstream sending more in one frame is not answering. */
    private static final int MAX_ACK_BYTES = 1 << 20;
    /** How long to wait for the TLS alert that may explain a failed write (see refusalOf). */
    private static final int ALERT_WAIT_MS = 1000;
    /** How many of the MSH-10s sent on this connection a late answer is recognised for. */
    private static final int REMEMBERED = 256;

    private final String host;
    private final int port;
    private final int connectTimeoutMs;
    private final int ackTimeoutMs;
    /** null: plain TCP. */
    private final DownstreamTls tls;
    private final ReentrantLock lock = new ReentrantLock();
    /** MSH-10s sent on the current connection, the latest last. */
    private final Deque<String> sent = new ArrayDeque<>();
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    /** @param tls TLS on the connection, null for plain TCP */
    DownstreamMllpConnection(String host, int port, int connectTimeoutMs, int ackTimeoutMs, DownstreamTls tls) {
        this.host = host;
        this.port = port;
        this.connectTimeoutMs = connectTimeoutMs;
        this.ackTimeoutMs = ackTimeoutMs;
        this.tls = tls;
    }

    /**
     * Sends one message and returns the acknowledgement of it, or the first frame that acknowledges neither it nor
     * an earlier message of this connection (the caller judges it, see {@link DownstreamAck}). Throws
     * {@link AckTimeoutException} when none came within the ACK timeout, an IOException when the connection failed;
     * either way the connection is closed, and the next message opens a new one.
     */
    String send(byte[] message, String controlId) throws IOException {
        lock.lock();
        try {
            boolean kept = socket != null;
            if (!kept) {
                connect();
            }
            try {
                write(message);
            } catch (IOException closedWhileIdle) {
                if (!kept) {
                    throw refusalOf(closedWhileIdle);
                }
                // a kept connection the downstream closed while it was idle: nothing was read on it, so once more
                // on a new one
                close();
                connect();
                try {
                    write(message);
                } catch (IOException e) {
                    throw refusalOf(e);
                }
            }
            remember(controlId);
            return acknowledgementOf(controlId);
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    /** Closes the connection; the next message opens a new one. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
            socket = null;
            in = null;
            out = null;
            sent.clear();
        } finally {
            lock.unlock();
        }
    }

    /** Connects, and with TLS completes the handshake within the connect timeout too. */
    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.connect(new InetSocketAddress(host, port), connectTimeoutMs);
            if (tls != null) {
                s = tls.handshake(s, host, port, connectTimeoutMs);
            }
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
        socket = s;
        in = new BufferedInputStream(s.getInputStream());
        out = s.getOutputStream();
        sent.clear();
    }

    /**
     * Why the first write on a new connection failed, when the downstream said so. With TLS 1.3 a server that
     * refuses the client's certificate, or its absence, aborts with an alert after the client has finished its side
     * of the handshake (RFC 8446 §4.4.2.4), so the client learns of it only on its next read or write: the write
     * fails with a bare "Broken pipe", and the alert, still to be read, names the reason (e.g. bad_certificate).
     */
    private IOException refusalOf(IOException writeFailure) {
        if (socket instanceof SSLSocket) {
            try {
                socket.setSoTimeout(ALERT_WAIT_MS);
                in.read();
            } catch (SSLException alert) {
                alert.addSuppressed(writeFailure);
                return alert;
            } catch (IOException | RuntimeException ignored) {
                // no alert: the write failure stands
            }
        }
        return writeFailure;
    }

    private void write(byte[] message) throws IOException {
        byte[] frame = new byte[message.length + 3];
        frame[0] = START_BLOCK;
        System.arraycopy(message, 0, frame, 1, message.length);
        frame[frame.length - 2] = END_BLOCK;
        frame[frame.length - 1] = CARRIAGE_RETURN;
        out.write(frame);
        out.flush();
    }

    private void remember(String controlId) {
        sent.remove(controlId);
        sent.addLast(controlId);
        while (sent.size() > REMEMBERED) {
            sent.removeFirst();
        }
    }

    private String acknowledgementOf(String controlId) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ackTimeoutMs);
        while (true) {
            String ack = new String(readFrame(deadline, controlId), StandardCharsets.ISO_8859_1);
            String acknowledged = DownstreamAck.acknowledgedControlId(ack);
            if (acknowledged == null || acknowledged.equals(controlId) || !sent.contains(acknowledged)) {
                return ack;
            }
            log.debug("Passed over a late acknowledgement of controlId={} while waiting for controlId={}",
                    acknowledged, controlId);
        }
    }

    /** One frame's content; bytes outside a frame (line ends between frames) are passed over. */
    private byte[] readFrame(long deadline, String controlId) throws IOException {
        int b;
        do {
            b = read(deadline, controlId);
        } while (b != START_BLOCK);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(256);
        while (true) {
            b = read(deadline, controlId);
            if (b == END_BLOCK) {
                int next = read(deadline, controlId);
                if (next == CARRIAGE_RETURN) {
                    return frame.toByteArray();
                }
                frame.write(b);
                b = next;
            }
            if (b == START_BLOCK) {
                frame.reset();                       // a frame cut off by a new one: the new one counts
                continue;
            }
            frame.write(b);
            if (frame.size() > MAX_ACK_BYTES) {
                throw new IOException("Acknowledgement frame larger than " + MAX_ACK_BYTES + " bytes");
            }
        }
    }

    private int read(long deadline, String controlId) throws IOException {
        long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (leftMs <= 0) {
            throw timeout(controlId);
        }
        socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
        try {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("The downstream closed the connection before acknowledging");
            }
            return b;
        } catch (SocketTimeoutException e) {
            throw timeout(controlId);
        }
    }

    private AckTimeoutException timeout(String controlId) {
        return new AckTimeoutException("No acknowledgement of MSH-10 '" + controlId + "' within " + ackTimeoutMs
                + " ms");
    }
}
