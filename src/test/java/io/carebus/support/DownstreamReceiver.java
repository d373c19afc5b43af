package io.carebus.support;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A downstream HL7 system on a real socket: records every message it gets and answers with an ACK chosen per
 * message by {@link #answer(Function)} (AA echoing MSH-10 by default).
 */
public final class DownstreamReceiver implements AutoCloseable {

    private final ServerSocket server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private volatile Function<String, List<String>> answer = msg -> List.of(ack(msg, "AA"));

    public DownstreamReceiver(int port) throws IOException {
        this(new ServerSocket(port));
    }

    /** A receiver on this server socket, e.g. an SSLServerSocket for a downstream that speaks TLS. */
    public DownstreamReceiver(ServerSocket server) {
        this.server = server;
        threads.submit(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    public List<String> received() {
        return received;
    }

    /** What to answer to each message; a null answer sends nothing (the sender times out). */
    public void answer(Function<String, String> answer) {
        this.answer = msg -> {
            String reply = answer.apply(msg);
            return reply == null ? List.of() : List.of(reply);
        };
    }

    /** Answers each message with these frames, each written on its own (none: the sender times out). */
    public void answerFrames(Function<String, List<String>> answer) {
        this.answer = answer;
    }

    public static String ack(String message, String code) {
        return ack(message, code, MllpClient.field(message, "MSH", 10));
    }

    public static String ack(String message, String code, String msa2) {
        return "MSH|^~\\&|DOWN|STREAM|||20250101000000||ACK|A" + msa2 + "|P|2.5\rMSA|" + code + "|" + msa2 + "\r";
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                threads.submit(() -> serve(socket));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            byte[] frame;
            while ((frame = MllpClient.readFrame(in)) != null) {
                String message = new String(frame, StandardCharsets.UTF_8);
                received.add(message);
                for (String reply : answer.apply(message)) {
                    MllpClient.writeFrame(out, reply.getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (IOException ignored) {
            // the engine closed or reset the connection, or (TLS) the handshake failed: nothing was received
        }
    }

    /** MSH-10 of every message received, in arrival order. */
    public List<String> controlIds() {
        return received.stream().map(m -> MllpClient.field(m, "MSH", 10)).toList();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
