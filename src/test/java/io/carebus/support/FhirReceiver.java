package io.carebus.support;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A FHIR server's transaction endpoint on a real socket (JDK HTTP server): keeps every POSTed body and
 * answers 200 with a transaction-response Bundle, or the status set by {@link #answer} for a body with a given text.
 */
public final class FhirReceiver {

    private final HttpServer server;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> headerNames = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByText = new ConcurrentHashMap<>();
    private final List<String> accepted = new CopyOnWriteArrayList<>();

    private FhirReceiver(HttpServer server) {
        this.server = server;
    }

    public static FhirReceiver start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            FhirReceiver receiver = new FhirReceiver(server);
            server.createContext("/fhir", exchange -> {
                receiver.headerNames.addAll(exchange.getRequestHeaders().keySet());
                String body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    receiver.received.add(body);
                }
                int status = receiver.statusByText.entrySet().stream().filter(e -> body.contains(e.getKey()))
                        .mapToInt(Map.Entry::getValue).findFirst().orElse(200);
                if (status == 200) {
                    receiver.accepted.add(body);
                }
                byte[] answer = (status == 200 ? "{\"resourceType\":\"Bundle\",\"type\":\"transaction-response\"}"
                        : "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\","
                                + "\"code\":\"processing\",\"diagnostics\":\"refused with " + status + "\"}]}")
                        .getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
                exchange.sendResponseHeaders(status, answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
            return receiver;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
    }

    /** Answers {@code status} with an OperationOutcome to every POST whose body contains {@code text}. */
    public void answer(String text, int status) {
        statusByText.put(text, status);
    }

    public List<String> received() {
        return received;
    }

    /** The bodies answered 200, in the order they were answered. */
    public List<String> accepted() {
        return accepted;
    }

    /** The names of every HTTP request header received. */
    public List<String> headerNames() {
        return headerNames;
    }
}
