package io.carebus.hl7v2.mllp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts connections and serves each on its own thread ({@link MllpConnection}), up to the endpoint's
 * maxConnections; a connection over the limit is closed at once. Plain TCP or TLS.
 */
class MllpListenerConsumer extends DefaultConsumer {

    private static final Logger log = LoggerFactory.getLogger(MllpListenerConsumer.class);

    private final MllpListenerEndpoint endpoint;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private ServerSocket server;
    private ExecutorService connections;
    /** Closes TLS connections whose handshake is late. */
    private ScheduledExecutorService deadlines;
    private Thread acceptor;

    MllpListenerConsumer(MllpListenerEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        server = endpoint.getSslContextParameters() == null ? new ServerSocket()
                : endpoint.getSslContextParameters().createSSLContext(endpoint.getCamelContext())
                        .getServerSocketFactory().createServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 128);
        connections = new ThreadPoolExecutor(0, endpoint.getMaxConnections(), 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "mllp-connection-" + endpoint.getPort());
                    t.setDaemon(true);
                    return t;
                });
        deadlines = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mllp-deadlines-" + endpoint.getPort());
            t.setDaemon(true);
            return t;
        });
        acceptor = new Thread(this::accept, "mllp-accept-" + endpoint.getPort());
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("MLLP listener on {}:{}{}", endpoint.getHost(), endpoint.getPort(),
                endpoint.getSslContextParameters() == null ? "" : " (TLS)");
    }

    private void accept() {
        AcceptBackoff backoff = new AcceptBackoff();
        while (!server.isClosed() && !Thread.currentThread().isInterrupted()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!server.isClosed()) {
                    waitAfter(backoff.failed(System.nanoTime()), e);
                }
                continue;
            }
            long failedBefore = backoff.succeeded();
            if (failedBefore > 0) {
                log.info("MLLP listener on port {} accepts connections again after {} failed attempts",
                        endpoint.getPort(), failedBefore);
            }
            try {
                open.add(socket);
                connections.execute(new MllpConnection(socket, endpoint, this, () -> open.remove(socket)));
            } catch (RejectedExecutionException full) {
                log.warn("MLLP connection from {} refused: {} connections already open",
                        socket.getRemoteSocketAddress(), endpoint.getMaxConnections());
                open.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    /**
     * A failure that persists (no file descriptor left, say) would otherwise spin this thread and log on every
     * attempt: wait, longer while it lasts, and log at most once per longest wait.
     */
    private void waitAfter(AcceptBackoff.Failure failure, IOException e) {
        if (failure.toReport() > 0) {
            log.warn("MLLP accept failed on port {} ({} time(s) since the last report), retrying in {} ms: {}",
                    endpoint.getPort(), failure.toReport(), failure.waitMs(), e.toString());
        }
        try {
            TimeUnit.MILLISECONDS.sleep(failure.waitMs());
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs the task after the delay (ms), unless cancelled. */
    Future<?> schedule(Runnable task, int delayMs) {
        return deadlines.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    }

    /** Runs the route for one frame; the caller writes the acknowledgement. */
    void process(org.apache.camel.Exchange exchange) throws Exception {
        getProcessor().process(exchange);
    }

    org.apache.camel.Exchange newExchange() {
        return createExchange(false);
    }

    void done(org.apache.camel.Exchange exchange) {
        releaseExchange(exchange, false);
    }

    @Override
    protected void doStop() throws Exception {
        if (server != null) {
            server.close();
        }
        open.forEach(MllpListenerConsumer::closeQuietly);
        if (connections != null) {
            connections.shutdownNow();
        }
        if (deadlines != null) {
            deadlines.shutdownNow();
        }
        if (acceptor != null) {
            acceptor.interrupt();    // ends a wait after a failed accept at once
            acceptor.join(5000);
        }
        super.doStop();
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
