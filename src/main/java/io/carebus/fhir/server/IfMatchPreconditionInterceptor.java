package io.carebus.fhir.server;

import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;

/**
 * An update or patch whose {@code If-Match} names another version than the current one answers 412 Precondition
 * Failed, as FHIR R4 asks (http.html#concurrency: "If the version id given in the If-Match header does not match,
 * the server returns a 412 Precondition Failed status code instead of updating the resource"). HAPI's DAO reports
 * it as a version conflict, 409; the OperationOutcome is kept.
 */
@Interceptor
public class IfMatchPreconditionInterceptor {

    private static final Set<RestOperationTypeEnum> VERSIONED_WRITES =
            Set.of(RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH);

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException preconditionFailed(RequestDetails request, Throwable exception) {
        if (!(exception instanceof ResourceVersionConflictException conflict) || request == null
                || !VERSIONED_WRITES.contains(request.getRestOperationType())
                || request.getHeader(Constants.HEADER_IF_MATCH) == null) {
            return null;
        }
        PreconditionFailedException failed = new PreconditionFailedException(conflict.getMessage());
        failed.setOperationOutcome(conflict.getOperationOutcome());
        return failed;
    }
}
