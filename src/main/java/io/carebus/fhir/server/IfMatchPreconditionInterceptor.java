package io.carebus.fhir.server;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.OperationOutcome;

/**
 * An update or patch whose {@code If-Match} names another version than the current one answers 412 Precondition
 * Failed, as FHIR R4 asks (http.html#concurrency: "If the version id given in the If-Match header does not match,
 * the server returns a 412 Precondition Failed status code instead of updating the resource"). HAPI's DAO reports
 * it as a version conflict, 409; the OperationOutcome is kept.
 *
 * <p>The same holds for an entry of a transaction or batch Bundle: {@code Bundle.entry.request.ifMatch} is the
 * entry's If-Match (bundle.html: "Only perform the operation if the Etag value matches"). A transaction failing on
 * it answers 412 (a "400 type response", http.html#transaction), a batch entry gets {@code 412 Precondition Failed}.
 * Only HAPI's stale-version conflicts are turned into 412: any other conflict of a transaction (a delete that
 * references refuse, concurrent writes) stays 409.
 */
@Interceptor
public class IfMatchPreconditionInterceptor {

    private static final Set<RestOperationTypeEnum> VERSIONED_WRITES =
            Set.of(RestOperationTypeEnum.UPDATE, RestOperationTypeEnum.PATCH);
    /**
     * HAPI's message codes of a write naming a version other than the current one (update, patch, delete), which
     * in a Bundle only an entry's ifMatch does.
     */
    private static final List<String> STALE_VERSION_CODES = List.of("HAPI-0989", "HAPI-0974", "HAPI-0961");
    private static final String PRECONDITION_FAILED = "412 Precondition Failed";

    @Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
    public BaseServerResponseException preconditionFailed(RequestDetails request, Throwable exception) {
        if (!(exception instanceof ResourceVersionConflictException conflict) || request == null) {
            return null;
        }
        boolean ifMatchHeader = VERSIONED_WRITES.contains(request.getRestOperationType())
                && request.getHeader(Constants.HEADER_IF_MATCH) != null;
        boolean staleEntry = request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
                && staleVersion(conflict.getMessage());
        if (!ifMatchHeader && !staleEntry) {
            return null;
        }
        PreconditionFailedException failed = new PreconditionFailedException(conflict.getMessage());
        failed.setOperationOutcome(conflict.getOperationOutcome());
        return failed;
    }

    /** A batch carries on past a failed entry: each entry failing on its ifMatch answers 412 in the batch-response. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean batchEntries(RequestDetails request, ResponseDetails response) {
        if (request != null && request.getRestOperationType() == RestOperationTypeEnum.TRANSACTION
                && response != null && response.getResponseResource() instanceof Bundle bundle
                && bundle.getType() == Bundle.BundleType.BATCHRESPONSE) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                Bundle.BundleEntryResponseComponent outcome = entry.getResponse();
                if (outcome.getStatus() != null && outcome.getStatus().startsWith("409")
                        && outcome.getOutcome() instanceof OperationOutcome operationOutcome
                        && operationOutcome.getIssue().stream().anyMatch(i -> staleVersion(i.getDiagnostics()))) {
                    outcome.setStatus(PRECONDITION_FAILED);
                }
            }
        }
        return true;
    }

    private static boolean staleVersion(String message) {
        return message != null && STALE_VERSION_CODES.stream().anyMatch(message::contains);
    }
}
