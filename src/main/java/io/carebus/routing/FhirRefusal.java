package io.carebus.routing;

import java.util.Set;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import org.apache.camel.http.base.HttpOperationFailedException;

/**
 * A FHIR destination's refusal that no retry can change: the request itself is wrong (RFC 9110 §15.5: 400, 404, 405,
 * 410, 412, 413, 415; RFC 4918 §11.2: 422, e.g. a US Core violation; FHIR R4 http.html#cond-update: 412 when a
 * conditional update matches more than one resource). It goes to the dead letters at once instead of holding the
 * patient's later messages through every retry. Whatever may pass later is retried: 401/403 (credentials), 408,
 * 409 (a version conflict), 425, 429, 5xx, and failures without an answer (connection, timeout).
 */
public final class FhirRefusal {

    static final Set<Integer> FINAL_STATUSES = Set.of(400, 404, 405, 410, 412, 413, 415, 422);

    private FhirRefusal() {
    }

    /** The HTTP status of a refusal by an external FHIR server (camel-http) or the engine's own (HAPI), else 0. */
    public static int status(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException http) {
                return http.getStatusCode();
            }
            if (t instanceof BaseServerResponseException hapi) {
                return hapi.getStatusCode();
            }
        }
        return 0;
    }

    public static boolean isFinal(Throwable failure) {
        return FINAL_STATUSES.contains(status(failure));
    }
}
