package io.carebus.hl7v2.mllp;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.Future;

import javax.net.ssl.SSLSocket;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sender's connection: read a frame, run the route, write the acknowledgement the route decided, repeat.
 * A broken frame is handed to the rejections (journaled) and the connection is reset, so the sender knows;
 * the listener itself never stops for a sender's fault. Logs name sizes and reasons, never content.
 */
final class MllpConnection implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(MllpConnection.class);

    private final Socket socket;
    private final MllpListenerEndpoint endpoint;
    private final MllpListenerConsumer consumer;
    private final Runnable onClose;

    MllpConnection(Socket socket, MllpListenerEndpoint endpoint, MllpListenerConsumer consumer, Runnable onClose) {
        this.socket = socket;
        this.endpoint = endpoint;
        this.consumer = consumer;
        this.onClose = onClose;
    }

    @Override
    public void run() {
        String remote = String.valueOf(socket.getRemoteSocketAddress());
        try (socket) {
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket tls && !handshake(tls, remote)) {
                return;
            }
            MllpFrameReader reader = new MllpFrameReader(socket, endpoint.getMaxFrameBytes(),
                    endpoint.getReadTimeout(), endpoint.getIdleTimeout(), endpoint.getFrameTimeout(),
                    endpoint.getRejections());
            OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 4096);
            byte[] frame;
            while ((frame = reader.next()) != null) {
                if (!handle(frame, remote, out)) {
                    return;
                }
            }
        } catch (MllpFramingException e) {
            log.warn("MLLP framing error from {}: {}; {} bytes received, journaled as rejected; connection reset",
                    remote, e.getMessage(), e.received().length);
            endpoint.getRejections().rejected(e.getMessage(), e.received());
            reset();
        } catch (SocketTimeoutException idle) {
            log.debug("MLLP connection from {} idle for {} ms, closed", remote, endpoint.getIdleTimeout());
        } catch (IOException e) {
            log.debug("MLLP connection from {} ended: {}", remote, e.toString());
        } finally {
            onClose.run();
        }
    }

    /**
     * The TLS handshake, before anything is read: done within the handshake timeout or the socket is closed (a
     * client that connects and never handshakes would otherwise hold a connection until the idle timeout). The
     * read timeout alone would not do: a client could send a handshake byte now and then.
     */
    private boolean handshake(SSLSocket tls, String remote) throws IOException {
        int timeout = endpoint.getHandshakeTimeout();
        Future<?> cutOff = consumer.schedule(() -> MllpListenerConsumer.closeQuietly(tls), timeout);
        try {
            tls.setSoTimeout(timeout);
            tls.startHandshake();
            return true;
        } catch (IOException e) {
            log.debug("MLLP TLS handshake with {} failed or not done within {} ms, closed: {}", remote, timeout, e.toString());
            return false;
        } finally {
            cutOff.cancel(false);
        }
    }

    /** Runs the route for one frame and answers; false when the connection must end (no answer possible). */
    private boolean handle(byte[] frame, String remote, OutputStream out) throws IOException {
        Exchange exchange = consumer.newExchange();
        try {
            exchange.getMessage().setBody(frame);
            exchange.setProperty(MllpListenerEndpoint.REMOTE_ADDRESS, remote);
            try {
                consumer.process(exchange);
            } catch (Exception e) {
                exchange.setException(e);
            }
            byte[] ack = exchange.getProperty(MllpListenerEndpoint.ACKNOWLEDGEMENT, byte[].class);
            if (ack == null && exchange.isFailed()) {
                // nothing decided an answer: reset, so the sender keeps the message and sends it again
                log.error("MLLP message from {} ({} bytes) failed without an acknowledgement; connection reset: {}",
                        remote, frame.length, String.valueOf(exchange.getException()));
                reset();
                return false;
            }
            if (ack != null) {
                out.write(MllpFrameReader.START_BLOCK);
                out.write(ack);
                out.write(MllpFrameReader.END_BLOCK);
                out.write(MllpFrameReader.CARRIAGE_RETURN);
                out.flush();
            }
            return true;
        } finally {
            consumer.done(exchange);
        }
    }

    /** Ends the connection with a TCP reset (SO_LINGER 0), so the sender sees an error, not a clean close. */
    private void reset() {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        MllpListenerConsumer.closeQuietly(socket);
    }
}
