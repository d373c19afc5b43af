package io.carebus.routing.fhirauth;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpStatus;

/**
 * Puts a FHIR destination's {@code Authorization} header on every request of its HTTP client, in-memory retries
 * included, and tells the credentials when the server answers 401. The header is set on the HTTP request alone,
 * never on the Camel exchange, so it cannot reach the journal, a dead letter or a log of the exchange.
 */
public final class AuthorizingHttpClientConfigurer implements HttpClientConfigurer {

    private static final String SENT = "carebus.authorization";

    private final DestinationCredentials credentials;

    public AuthorizingHttpClientConfigurer(DestinationCredentials credentials) {
        this.credentials = credentials;
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.addRequestInterceptorLast((request, entity, context) -> {
            String authorization = credentials.authorization();
            request.setHeader(HttpHeaders.AUTHORIZATION, authorization);
            context.setAttribute(SENT, authorization);
        });
        builder.addResponseInterceptorLast((response, entity, context) -> {
            // RFC 6750 §3.1 invalid_token: expired or revoked; the next attempt gets a new one
            if (response.getCode() == HttpStatus.SC_UNAUTHORIZED) {
                credentials.rejected((String) context.getAttribute(SENT));
            }
        });
    }

    DestinationCredentials credentials() {
        return credentials;
    }
}
