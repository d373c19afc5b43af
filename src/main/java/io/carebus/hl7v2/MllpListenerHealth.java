package io.carebus.hl7v2;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/** Actuator health "mllpListener": UP while the inbound MLLP route is started and listening. */
public class MllpListenerHealth implements HealthIndicator {

    private static final String ROUTE_ID = "inbound-mllp-hl7v2";

    private final CamelContext camel;
    private final int port;

    public MllpListenerHealth(CamelContext camel, int port) {
        this.camel = camel;
        this.port = port;
    }

    @Override
    public Health health() {
        ServiceStatus status = camel.getRouteController().getRouteStatus(ROUTE_ID);
        Health.Builder health = status == ServiceStatus.Started ? Health.up() : Health.down();
        return health.withDetail("route", ROUTE_ID).withDetail("status", String.valueOf(status))
                .withDetail("port", port).build();
    }
}
