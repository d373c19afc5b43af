package io.carebus.routing;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.RuntimeCamelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which FHIR destination failures are final (dead letters at once) and which are retried. */
class FhirRefusalTest {

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 405, 410, 412, 413, 415, 422})
    void anExternalServersRefusalOfTheRequestIsFinal(int status) {
        assertThat(FhirRefusal.isFinal(http(status))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403, 408, 409, 425, 429, 500, 502, 503, 504})
    void whatMayPassLaterIsRetried(int status) {
        assertThat(FhirRefusal.isFinal(http(status))).isFalse();
    }

    @Test
    void theLocalStoresRefusalsAreFinalAndItsConflictsRetried() {
        assertThat(FhirRefusal.isFinal(new UnprocessableEntityException("US Core"))).isTrue();
        assertThat(FhirRefusal.isFinal(new InvalidRequestException("bad"))).isTrue();
        assertThat(FhirRefusal.isFinal(new PreconditionFailedException("two matches"))).isTrue();
        assertThat(FhirRefusal.isFinal(new ResourceGoneException("gone"))).isTrue();
        assertThat(FhirRefusal.isFinal(new ResourceVersionConflictException("conflict"))).isFalse();
        assertThat(FhirRefusal.isFinal(new AuthenticationException("who"))).isFalse();
        assertThat(FhirRefusal.isFinal(new InternalErrorException("oops"))).isFalse();
        assertThat(FhirRefusal.isFinal(new RuntimeCamelException(new InvalidRequestException("wrapped")))).isTrue();
        assertThat(FhirRefusal.isFinal(new java.net.ConnectException("refused"))).isFalse();
        assertThat(FhirRefusal.isFinal(null)).isFalse();
    }

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://fhir.example/fhir", status, "status", null, null, null);
    }
}
