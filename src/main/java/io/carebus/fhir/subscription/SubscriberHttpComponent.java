package io.carebus.fhir.subscription;

import java.util.Map;

import org.apache.camel.component.http.HttpComponent;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The HTTP component of rest-hook deliveries: every endpoint's client follows no redirect, whatever the endpoint's
 * {@code followRedirects} says. A subscriber's 3xx could send the engine to an address the endpoint check never saw
 * (an internal one); it is a failed delivery instead. Built into the client here rather than set as the component's
 * {@code redirectHandlingDisabled}, which Camel Spring Boot's customizer of every {@link HttpComponent} resets from
 * {@code camel.component.http.*}.
 */
final class SubscriberHttpComponent extends HttpComponent {

    @Override
    protected HttpClientBuilder createHttpClientBuilder(String uri, Map<String, Object> parameters,
            Map<String, Object> httpClientOptions) {
        return super.createHttpClientBuilder(uri, parameters, httpClientOptions).disableRedirectHandling();
    }
}
