package io.carebus.bench;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A downstream MLLP system for benchmarks and trying routes by hand: ACKs AA (MSA-2 = MSH-10) and counts.
 * Usage: MllpReceiver PORT [COUNT_FILE]; the count (and distinct control ids) is written to COUNT_FILE
 * every 100 ms.
 */
public final class MllpReceiver {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path countFile = args.length > 1 ? Path.of(args[1]) : null;
        AtomicLong received = new AtomicLong();
        ConcurrentHashMap<String, Boolean> distinct = new ConcurrentHashMap<>();
        if (countFile != null) {
            Thread writer = new Thread(() -> {
                while (true) {
                    try {
                        Files.writeString(countFile, received.get() + " " + distinct.size() + " " + System.currentTimeMillis());
                        Thread.sleep(100);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            writer.setDaemon(true);
            writer.start();
        }
        try (ServerSocket server = new ServerSocket(port)) {
            System.err.println("MLLP receiver listening on " + port);
            while (true) {
                Socket socket = server.accept();
                Thread t = new Thread(() -> serve(socket, received, distinct));
                t.setDaemon(true);
                t.start();
            }
        }
    }

    private static void serve(Socket socket, AtomicLong received, ConcurrentHashMap<String, Boolean> distinct) {
        // buffered: an unbuffered socket stream costs a system call per byte read
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream()); OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            byte[] frame;
            while ((frame = MllpLoad.readFrame(in)) != null) {
                String msg = new String(frame, StandardCharsets.UTF_8);
                int end = msg.indexOf('\r');
                String[] msh = (end < 0 ? msg : msg.substring(0, end)).split("\\|", -1);
                String controlId = msh.length > 9 ? msh[9] : "";
                received.incrementAndGet();
                distinct.put(controlId, Boolean.TRUE);
                String ack = "MSH|^~\\&|RECEIVER|BENCH|||20250101000000||ACK|R" + controlId + "|P|2.5.1\rMSA|AA|"
                        + controlId + "\r";
                MllpLoad.writeFrame(out, ack.getBytes(StandardCharsets.UTF_8));
            }
        } catch (Exception ignored) {
            // connection closed
        }
    }
}
