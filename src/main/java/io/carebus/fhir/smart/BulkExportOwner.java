package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Parameters;

/**
 * Each bulk export belongs to the SMART client that kicked it off: only that client may poll it, cancel it and
 * download its files. SMART Bulk Data Access IG 2.0: the status URL and the files are for the client that made
 * the request ("the client ... that initiated the export"), with the same access token rules as the kick-off.
 *
 * <p>At kick-off the client id goes into the job's parameters as HAPI's binary security context, which HAPI
 * writes into {@code Binary.securityContext.identifier} of every output file; the job keeps it, so a poll or a
 * DELETE on the status URL is checked against it here and a file read by {@link ExportFileAccess}.
 */
@Interceptor
public class BulkExportOwner {

    /** {@code Binary.securityContext.identifier.system} of an export file: the value is the SMART client id. */
    public static final String CLIENT_ID_SYSTEM = "urn:carebus:smart:client-id";

    private final IJobCoordinator jobCoordinator;

    public BulkExportOwner(IJobCoordinator jobCoordinator) {
        this.jobCoordinator = jobCoordinator;
    }

    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void recordClient(BulkExportJobParameters parameters, RequestDetails request) {
        SmartAccess exporter = exporter(request).orElseThrow(() ->
                new ForbiddenOperationException("Bulk export needs a SMART backend token with system/ scopes"));
        parameters.setBinarySecurityContextIdentifierSystem(CLIENT_ID_SYSTEM);
        parameters.setBinarySecurityContextIdentifierValue(exporter.clientId());
    }

    /** Poll and cancel; before the status answer is prepared, so another client learns nothing of the job. */
    @Hook(value = Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED, order = -1)
    public void checkStatusRequest(RequestDetails request) {
        String operation = request.getOperation();
        if (operation == null || !ProviderConstants.OPERATION_EXPORT_POLL_STATUS.endsWith(operation)) {
            return;
        }
        String jobId = jobId(request);
        if (jobId == null) {
            throw new ForbiddenOperationException("The status request names no bulk export job");
        }
        String owner = jobCoordinator.getInstance(jobId).getParameters(BulkExportJobParameters.class)
                .getBinarySecurityContextIdentifierValue();
        if (!isOwner(request, owner)) {
            throw new ForbiddenOperationException("Bulk export job " + jobId + " belongs to another client");
        }
    }

    /** True if the caller is the backend client the export file (a Binary) was written for. */
    static boolean isFileOf(IBaseResource resource, RequestDetails request) {
        if (!(resource instanceof Binary binary) || !binary.hasSecurityContext()) {
            return false;
        }
        Identifier client = binary.getSecurityContext().getIdentifier();
        return CLIENT_ID_SYSTEM.equals(client.getSystem()) && isOwner(request, client.getValue());
    }

    static boolean isOwner(RequestDetails request, String ownerClientId) {
        return ownerClientId != null
                && exporter(request).map(SmartAccess::clientId).filter(ownerClientId::equals).isPresent();
    }

    private static Optional<SmartAccess> exporter(RequestDetails request) {
        return SmartAuthorizationInterceptor.access(request).filter(SmartAccess::mayExport);
    }

    private static String jobId(RequestDetails request) {
        String[] values = request.getParameters().get(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID);
        if (values != null && values.length > 0) {
            return values[0];
        }
        if (request.getResource() instanceof Parameters parameters
                && parameters.getParameter(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID) != null) {
            return parameters.getParameter(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID).getValue().primitiveValue();
        }
        return null;
    }
}
