package io.carebus.hl7v2.mllp;

import static org.awaitility.Awaitility.await;

import java.io.FileInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.slf4j.LoggerFactory;

/**
 * Run in a JVM of its own by {@link MllpAcceptBackoffTest}: makes the listener's accept fail for real by using up
 * the process's file descriptors, and watches the log for a while; then gives them back and checks the next
 * connection is accepted. Prints "PROBE ok" or "PROBE failed: ...".
 */
public final class AcceptFailureProbe {

    public static void main(String[] args) throws Exception {
        try {
            run();
            System.out.println("PROBE ok");
        } catch (Throwable e) {
            System.out.println("PROBE failed: " + e);
            e.printStackTrace(System.out);
        }
        System.exit(0);
    }

    private static void run() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(MllpListenerConsumer.class);
        logger.setLevel(Level.INFO);
        AtomicInteger warnings = new AtomicInteger();
        AtomicBoolean recovered = new AtomicBoolean();
        AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getLevel() == Level.WARN) {
                    warnings.incrementAndGet();
                } else if (event.getFormattedMessage().contains("accepts connections again")) {
                    recovered.set(true);
                }
            }
        };
        appender.start();
        logger.addAppender(appender);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DefaultCamelContext camel = new DefaultCamelContext();
        camel.addComponent("hl7-mllp", new MllpListenerComponent());
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("hl7-mllp:127.0.0.1:" + port).log("frame");
            }
        });
        camel.start();
        // what the failure path loads, loaded now: with no descriptor left a class file cannot be opened
        warmUp(logger, warnings);

        Socket waiting = new Socket();
        waiting.setTcpNoDelay(true);                      // its descriptor is taken now, before none is left
        List<FileInputStream> hog = new ArrayList<>();
        takeEveryDescriptor(hog);
        try {
            // the listener, already in accept, takes this connection; its next accept fails at once, since Linux
            // reserves the new descriptor before waiting for a connection (accept(2): EMFILE)
            waiting.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            // the JVM may close a descriptor of its own meanwhile: taken again at each poll, none is left to accept
            await("a failed accept").pollInSameThread().atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> takeEveryDescriptor(hog) && warnings.get() > 0);
            // a failure that persists: logged once per back-off period, not once per attempt
            await("at most two warnings").pollInSameThread().during(Duration.ofMillis(1500))
                    .atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(1))
                    .until(() -> takeEveryDescriptor(hog) && warnings.get() <= 2);
        } finally {
            for (FileInputStream in : hog) {
                in.close();
            }
        }
        // descriptors back: the next connection is accepted, and the recovery logged
        try (Socket next = new Socket("127.0.0.1", port)) {
            await("accepted again").atMost(Duration.ofSeconds(5)).until(recovered::get);
        }
        waiting.close();
        camel.stop();
    }

    private static boolean takeEveryDescriptor(List<FileInputStream> hog) {
        try {
            while (true) {
                hog.add(new FileInputStream("/dev/null"));
            }
        } catch (IOException noneLeft) {
            return true;
        }
    }

    private static void warmUp(Logger logger, AtomicInteger warnings) {
        logger.warn("warm-up {} {} {} {}", 1, 2L, 3L, new IOException("warm-up").toString());
        logger.info("warm-up {} {}", 1, 2L);
        try {
            for (String name : List.of("MllpConnection", "MllpFrameReader", "MllpFramingException",
                    "AcceptBackoff$Failure")) {
                Class.forName(MllpListenerConsumer.class.getPackageName() + "." + name);
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        AcceptBackoff backoff = new AcceptBackoff();
        backoff.failed(System.nanoTime());
        backoff.succeeded();
        warnings.set(0);
    }
}
