package io.carebus.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * MLLP load: N concurrent connections sending ADT^A01 (about 1.5 KB) and waiting for each ACK.
 * Modes:
 *   send PORT CONNECTIONS SECONDS RATE_PER_S(0 = as fast as possible) [LABEL [RAMP_SECONDS]]
 *        -> prints one JSON line of figures; the first RAMP_SECONDS (default 0) run the same load unmeasured,
 *           while this JVM compiles its own sending path, and are not counted
 *   At a fixed rate the connections take turns, so the messages arrive evenly spaced.
 *   receive PORT                                                      -> a downstream that ACKs AA and counts
 * The sender can also watch a downstream counter and a heap metric (see bench/run).
 */
public final class MllpLoad {

    static final byte START = 0x0b, END = 0x1c, CR = 0x0d;

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "send" -> System.out.println(send(Integer.parseInt(args[1]), Integer.parseInt(args[2]),
                    Integer.parseInt(args[3]), Integer.parseInt(args[4]), args.length > 5 ? args[5] : "run",
                    args.length > 6 ? Integer.parseInt(args[6]) : 0));
            default -> throw new IllegalArgumentException("send | receive");
        }
    }

    static String adt(String controlId, int patient) {
        StringBuilder sb = new StringBuilder(1600);
        sb.append("MSH|^~\\&|BENCH|HOSP|CAREBUS|PMS|20250101120000||ADT^A01^ADT_A01|").append(controlId)
                .append("|P|2.5.1\r");
        sb.append("EVN|A01|20250101120000\r");
        sb.append("PID|1||P").append(patient).append("^^^HOSP^MR~").append(900000 + patient)
                .append("^^^SSA^SS||EVERYMAN^ADAM^A^III||19610615|M||2106-3^White^CDCREC|2222 HOME STREET^^GREENSBORO^NC^27401-1020||(555)555-2004|(555)555-2004||S||PATID12345001^2^M10^ADT1^AN^A|444333333|987654^NC\r");
        sb.append("NK1|1|NUCLEAR^NELDA^W|SPO^SPOUSE||||NK^NEXT OF KIN\r");
        sb.append("PV1|1|I|2000^2012^01||||004777^ATTEND^AARON^A|||SUR||||ADM|A0|||||||||||||||||||||||||20250101120000\r");
        sb.append("PV2|||^ABDOMINAL PAIN\r");
        sb.append("OBX|1|NM|8867-4^Heart rate^LN||72|/min|60-100|N|||F\r");
        sb.append("OBX|2|NM|8480-6^Systolic blood pressure^LN||120|mm[Hg]|90-140|N|||F\r");
        sb.append("AL1|1|DA|1605^ACETAMINOPHEN^RXNORM|MO|RASH\r");
        sb.append("DG1|1|I10|R10.9^Unspecified abdominal pain^I10|||A\r");
        sb.append("IN1|1|PPO^Preferred provider|123456|BLUE CROSS BLUE SHIELD|PO BOX 1000^^ATLANTA^GA^30301||(800)555-1000|GRP1234|||||||||EVERYMAN^ADAM^A|SEL|19610615|2222 HOME STREET^^GREENSBORO^NC^27401-1020|||||||||||||||||POL12345\r");
        while (sb.length() < 1400) {
            sb.append("NTE|").append(sb.length()).append("||Padding note to bring the message to a typical size\r");
        }
        return sb.toString();
    }

    static String send(int port, int connections, int seconds, int ratePerSecond, String label, int rampSeconds)
            throws Exception {
        Recorder recorder = new Recorder(3);
        AtomicLong acks = new AtomicLong();
        AtomicLong allAcks = new AtomicLong(); // the ramp's too: every message the engine took
        AtomicLong errors = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long intervalNanos = ratePerSecond > 0 ? (long) (1e9 * connections / ratePerSecond) : 0;
        String run = Long.toString(System.nanoTime(), 36);
        List<Future<?>> futures = new ArrayList<>();
        // BENCH_TIMELINE set: the slowest ACK of each second goes to stderr at the end, to see when stalls happen
        boolean timeline = System.getenv("BENCH_TIMELINE") != null;
        java.util.concurrent.atomic.AtomicLongArray slowestPerSecond =
                new java.util.concurrent.atomic.AtomicLongArray(rampSeconds + seconds + 5);
        long start = System.nanoTime();
        long measuredFrom = start + rampSeconds * 1_000_000_000L;
        for (int c = 0; c < connections; c++) {
            int conn = c;
            futures.add(pool.submit(() -> {
                try (Socket socket = new Socket("localhost", port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    // buffered: an unbuffered socket stream costs a system call per byte read
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    // the connections take turns: at a fixed rate the messages arrive evenly spaced, not all
                    // connections at the same instant
                    long next = start + conn * intervalNanos / connections;
                    for (int i = 0; running.get(); i++) {
                        if (intervalNanos > 0) {
                            long wait = next - System.nanoTime();
                            if (wait > 0) {
                                java.util.concurrent.locks.LockSupport.parkNanos(wait);
                            }
                            next += intervalNanos;
                        }
                        byte[] msg = adt(run + "-" + conn + "-" + i, conn * 1000 + (i % 50))
                                .getBytes(StandardCharsets.UTF_8);
                        long t0 = System.nanoTime();
                        writeFrame(out, msg);
                        byte[] ack = readFrame(in);
                        long t1 = System.nanoTime();
                        boolean measured = t0 >= measuredFrom;
                        if (ack == null) {
                            errors.incrementAndGet();
                            return null;
                        }
                        String text = new String(ack, StandardCharsets.UTF_8);
                        if (!text.contains("MSA|AA|") && !text.contains("MSA|CA|")) {
                            errors.incrementAndGet();
                        } else {
                            allAcks.incrementAndGet();
                            if (measured) {
                                acks.incrementAndGet();
                                // at a fixed rate, from when the message was due (a late send counts against the engine)
                                long micros = Math.max(1, (t1 - (intervalNanos > 0 ? Math.min(t0, next - intervalNanos) : t0)) / 1000);
                                recorder.recordValue(micros);
                                int second = (int) ((t1 - start) / 1_000_000_000L);
                                if (timeline && second < slowestPerSecond.length()) {
                                    slowestPerSecond.accumulateAndGet(second, micros, Math::max);
                                }
                            }
                        }
                    }
                }
                return null;
            }));
        }
        Thread.sleep((rampSeconds + seconds) * 1000L);
        running.set(false);
        for (Future<?> f : futures) {
            f.get();
        }
        double elapsed = (System.nanoTime() - measuredFrom) / 1e9;
        pool.shutdown();
        Histogram h = recorder.getIntervalHistogram();
        if (timeline) {
            StringBuilder line = new StringBuilder("slowest ACK per second (ms):");
            for (int i = rampSeconds; i < rampSeconds + seconds; i++) {
                line.append(' ').append(slowestPerSecond.get(i) / 1000);
            }
            System.err.println(line);
        }
        return String.format("{\"label\":\"%s\",\"connections\":%d,\"acks\":%d,\"errors\":%d,\"seconds\":%.2f,"
                        + "\"msgs_per_s\":%.0f,\"p50_ms\":%.2f,\"p99_ms\":%.2f,\"max_ms\":%.2f,\"all_acks\":%d}",
                label, connections, acks.get(), errors.get(), elapsed, acks.get() / elapsed,
                h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0,
                allAcks.get());
    }

    static void writeFrame(OutputStream out, byte[] message) throws IOException {
        byte[] frame = new byte[message.length + 3];
        frame[0] = START;
        System.arraycopy(message, 0, frame, 1, message.length);
        frame[frame.length - 2] = END;
        frame[frame.length - 1] = CR;
        out.write(frame);
        out.flush();
    }

    static byte[] readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != START) {
            if (b < 0) {
                return null;
            }
        }
        ByteArrayOutputStream buf = new ByteArrayOutputStream(256);
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
}
