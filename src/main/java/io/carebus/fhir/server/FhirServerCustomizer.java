package io.carebus.fhir.server;

import ca.uhn.fhir.rest.server.RestfulServer;

/**
 * A part of Carebus that adds to the FHIR server (an interceptor, a provider): every Spring bean implementing this
 * is applied to the HAPI {@link RestfulServer} before it serves its first request.
 */
@FunctionalInterface
public interface FhirServerCustomizer {

    void customize(RestfulServer server);
}
