package io.carebus.fhir.smart;

import io.carebus.fhir.ConditionalOnFhirServer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** Turns {@link OAuthError} into the RFC 6749 §5.2 JSON answer. */
@ConditionalOnFhirServer
@RestControllerAdvice(assignableTypes = {TokenEndpoint.class, RegistrationEndpoint.class, IntrospectionEndpoint.class})
public class OAuthErrorHandler {

    @ExceptionHandler(OAuthError.class)
    ResponseEntity<Map<String, String>> oauthError(OAuthError e) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", e.error());
        if (e.getMessage() != null) {
            body.put("error_description", e.getMessage());
        }
        return ResponseEntity.status(e.status()).cacheControl(CacheControl.noStore()).header("Pragma", "no-cache")
                .body(body);
    }
}
