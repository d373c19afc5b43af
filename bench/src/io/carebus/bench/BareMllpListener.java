package io.carebus.bench;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The baseline for mllp-ingest: a bare camel-mllp listener that acknowledges (autoAck) without storing anything.
 * Usage: BareMllpListener PORT
 */
public final class BareMllpListener {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("mllp:0.0.0.0:" + port + "?autoAck=true&maxConcurrentConsumers=64&hl7Headers=false")
                            .routeId("bare-mllp").setProperty("bench", constant(true));
                }
            });
            camel.start();
            System.err.println("bare camel-mllp listener on " + port);
            Thread.currentThread().join();
        }
    }
}
