package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.carebus.config.CarebusProperties;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

/**
 * The outbound routes are made before the Camel context starts: Camel Spring Boot logs and ignores a failure in
 * afterApplicationStart, so a destination that cannot be served would leave the engine running with no route for its
 * queue, messages piling up there unsent while health says UP. Made in beforeApplicationStart, it stops the start.
 */
class OutboundRoutesTest {

    @Test
    void aDestinationOfUnknownTypeStopsTheStart() throws Exception {
        assertStartRefused(destination("ftp", null), false, "unknown type ftp");
    }

    @Test
    void theLocalFhirServerAsDestinationWhileItIsOffStopsTheStart() throws Exception {
        assertStartRefused(destination("fhir", "local"), false, "carebus.fhir.server.enabled=false");
    }

    private static CarebusProperties destination(String type, String url) {
        CarebusProperties properties = new CarebusProperties();
        CarebusProperties.Destination d = new CarebusProperties.Destination();
        d.setType(type);
        if (url != null) {
            d.setUrl(url);
        }
        properties.getDestinations().put("target", d);
        return properties;
    }

    private static void assertStartRefused(CarebusProperties properties, boolean fhirServer, String reason)
            throws Exception {
        OutboundRoutes routes = new OutboundRoutes(properties, new DestinationRouter(properties), fhirServer);
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            assertThatThrownBy(() -> routes.beforeApplicationStart(camel)).hasMessageContaining(reason);
        }
    }
}
