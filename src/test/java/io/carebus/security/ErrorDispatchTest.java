package io.carebus.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.carebus.support.EngineTestBase;
import io.carebus.support.FailingTestController;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.client.TestRestTemplate;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** A failure on a request the caller may make is answered 500 (through the error page), never 403. */
class ErrorDispatchTest extends EngineTestBase {

    @Autowired
    TestRestTemplate http;

    @Test
    void anAnalystsFailedRequestIsAnInternalServerError() {
        ResponseEntity<String> answer = http.withBasicAuth("analyst", ANALYST_PASSWORD)
                .getForEntity(FailingTestController.PATH, String.class);
        assertThat(answer.getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    }

    @Test
    void theErrorPageIsNoWayAroundAuthentication() {
        assertThat(http.getForEntity(FailingTestController.PATH, String.class).getStatusCode())
                .isEqualTo(HttpStatus.UNAUTHORIZED);
        assertThat(http.withBasicAuth("analyst", ANALYST_PASSWORD).getForEntity("/error", String.class)
                .getStatusCode()).isNotEqualTo(HttpStatus.OK);
    }
}
