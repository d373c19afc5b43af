package io.carebus.routing;

import java.util.Map;

import io.carebus.config.BrokerConfig;
import io.carebus.config.CarebusProperties;
import io.carebus.config.CarebusProperties.Destination;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.component.http.HttpClientConfigurer;
import io.carebus.routing.fhirauth.AuthorizingHttpClientConfigurer;
import io.carebus.routing.fhirauth.DestinationCredentialsFactory;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one outbound route per enabled destination from the templates in routes/outbound/
 * (route id {@code outbound-<type>-<name>}).
 */
public class OutboundRoutes implements CamelContextConfiguration {

    private static final Logger log = LoggerFactory.getLogger(OutboundRoutes.class);

    private final CarebusProperties properties;
    private final DestinationRouter router;

    private final boolean fhirServer;

    /** @param fhirServer whether the engine's own FHIR server runs (carebus.fhir.server.enabled) */
    public OutboundRoutes(CarebusProperties properties, DestinationRouter router, boolean fhirServer) {
        this.properties = properties;
        this.router = router;
        this.fhirServer = fhirServer;
    }

    /**
     * Made before the context starts, after the YAML templates are loaded: Camel Spring Boot stops the start when
     * this throws, whereas a failure in afterApplicationStart is logged and ignored, which would leave a destination's
     * queue with no consumer while the engine looks healthy.
     */
    @Override
    public void beforeApplicationStart(CamelContext context) {
        for (Map.Entry<String, Destination> entry : properties.getDestinations().entrySet()) {
            String name = entry.getKey();
            Destination d = entry.getValue();
            if (!router.isEnabled(name)) {
                log.info("Destination {} ({}) is disabled", name, d.getType());
                continue;
            }
            String template = "outbound-" + d.getType();
            if ("fhir".equals(d.getType()) && isLocal(d.getUrl())) {
                template = "outbound-fhir-local";    // the engine's own FHIR server, in-process
                if (!fhirServer) {
                    throw new IllegalStateException("Destination " + name + " sends to the engine's own FHIR server"
                            + " (url: local), which is switched off (carebus.fhir.server.enabled=false): give it a"
                            + " FHIR base URL or disable it (CAREBUS_FHIR_ENABLED=false)");
                }
            }
            TemplatedRouteBuilder route = TemplatedRouteBuilder.builder(context, template)
                    .routeId(template + "-" + name)
                    .parameter("destination", name)
                    .parameter("queue", BrokerConfig.outboundQueue(name))
                    .parameter("consumers", String.valueOf(d.getConsumers()));
            switch (d.getType()) {
                case "mllp" -> {
                    // host, port, ACK timeout and TLS: OutboundMllp's connection for the destination
                }
                case "kafka", "fhir-kafka" -> route.parameter("topic", d.getTopic());
                case "fhir" -> {
                    if (!isLocal(d.getUrl())) {
                        route.parameter("url", d.getUrl());
                        route.parameter("bundleMethod", d.isClientAssignedIds()
                                ? "toClientIdTransactionBundle" : "toConditionalTransactionBundle");
                        route.parameter("httpClientConfigurer", bindAuthorization(context, name, d));
                    }
                }
                default -> throw new IllegalStateException("Destination " + name + " has unknown type " + d.getType());
            }
            String id = route.add();
            log.info("Destination {} ({}) enabled: route {}", name, d.getType(), id);
        }
    }

    @Override
    public void afterApplicationStart(CamelContext context) {
    }

    /**
     * Binds the destination's {@link HttpClientConfigurer} (its {@code auth} settings, checked here so that a
     * misconfiguration stops the start) and returns its bean name.
     */
    private static String bindAuthorization(CamelContext context, String name, Destination d) {
        HttpClientConfigurer configurer = DestinationCredentialsFactory.create(name, d.getAuth())
                .<HttpClientConfigurer>map(AuthorizingHttpClientConfigurer::new)
                .orElse(builder -> { });
        String bean = "fhirDestinationAuth-" + name;
        context.getRegistry().bind(bean, HttpClientConfigurer.class, configurer);
        log.info("Destination {}: authentication {}", name, d.getAuth().getType());
        return bean;
    }

    /** A FHIR destination without a URL, or with {@code local}, is the engine's own FHIR server. */
    static boolean isLocal(String url) {
        return url == null || url.isBlank() || "local".equalsIgnoreCase(url.trim());
    }
}
