package io.carebus.fhir.subscription;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

/**
 * A subscriber's rest-hook endpoint on a real socket (JDK HTTP server) that keeps every request. It can answer
 * with an error status ({@link #answer}) or be down altogether ({@link #stop}, then {@link #start} on the same
 * port).
 */
final class SubscriberReceiver implements AutoCloseable {

    /** One request received. */
    record Request(String method, String path, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(200);
    private final AtomicInteger attempts = new AtomicInteger();
    private volatile String redirectTo;
    private volatile CountDownLatch held = new CountDownLatch(0);
    private int port;
    private HttpServer server;

    static SubscriberReceiver started() {
        SubscriberReceiver receiver = new SubscriberReceiver();
        receiver.start();
        return receiver;
    }

    synchronized void start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
            server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
            server.createContext("/", exchange -> {
                attempts.incrementAndGet();
                awaitRelease();
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                int answer = status.get();
                if (redirectTo != null) {
                    exchange.getResponseHeaders().add("Location", redirectTo);
                    answer = 302;
                }
                if (answer < 300) {
                    requests.add(new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                            Map.copyOf(exchange.getRequestHeaders()), body));
                }
                exchange.sendResponseHeaders(answer, -1);
                exchange.close();
            });
            server.start();
            port = server.getAddress().getPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Down: connections are refused until {@link #start}. */
    synchronized void stop() {
        server.stop(0);
    }

    /** Slow: from now on every request waits, unanswered, until {@link #release}. */
    void hold() {
        held = new CountDownLatch(1);
    }

    void release() {
        held.countDown();
    }

    private void awaitRelease() {
        try {
            held.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The status to answer from now on (a 5xx: the request is not kept). */
    void answer(int httpStatus) {
        status.set(httpStatus);
    }

    /** From now on every request is answered 302 Found to this URL. */
    void redirectTo(String location) {
        redirectTo = location;
    }

    /** The endpoint to put in Subscription.channel.endpoint. */
    String url(String path) {
        return "http://127.0.0.1:" + port + path;
    }

    /** Requests answered with a success status. */
    List<Request> requests() {
        return requests;
    }

    /** Every request that reached the receiver, answered with success or not. */
    int attempts() {
        return attempts.get();
    }

    @Override
    public void close() {
        release();
        server.stop(0);
    }
}
