package io.carebus.fhir.bulk;

import java.nio.charset.StandardCharsets;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;

/**
 * The status endpoint ({@code $export-poll-status}) as the Bulk Data Access IG 2.0 wants it where HAPI's provider
 * differs: a poll of a cancelled export answers 404 with an OperationOutcome ("Following the delete request, when
 * subsequent requests are made to the polling location, the server SHALL return a 404 Not Found error"), and a
 * poll of a running export carries the configured Retry-After instead of HAPI's fixed 120 s, and the manifest of
 * a complete one gives each file's {@code count}.
 */
@Interceptor
public class BulkExportStatusInterceptor {

    private final IJobCoordinator jobCoordinator;
    private final IFhirResourceDao<Binary> binaries;
    private final String retryAfterSeconds;

    public BulkExportStatusInterceptor(IJobCoordinator jobCoordinator, IFhirResourceDao<Binary> binaries,
            int retryAfterSeconds) {
        this.jobCoordinator = jobCoordinator;
        this.binaries = binaries;
        this.retryAfterSeconds = Integer.toString(retryAfterSeconds);
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void pollStatus(RequestDetails request) {
        String operation = request.getOperation();
        if (operation == null || !ProviderConstants.OPERATION_EXPORT_POLL_STATUS.endsWith(operation)) {
            return;
        }
        String jobId = request.getParameters().containsKey(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID)
                ? request.getParameters().get(JpaConstants.PARAM_EXPORT_POLL_STATUS_JOB_ID)[0]
                : null;
        if (jobId != null && request.getRequestType() != RequestTypeEnum.DELETE) {
            JobInstance job = jobCoordinator.getInstance(jobId);
            if (job.isCancelled() || job.getStatus() == StatusEnum.CANCELLED) {
                throw new ResourceNotFoundException("Bulk export job " + jobId + " was cancelled");
            }
        }
        if (request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null) {
            // the job may complete between this check and the provider's: both answers are prepared for
            servlet.setServletResponse(new ManifestCountsResponse(
                    new RetryAfterResponse(servlet.getServletResponse(), retryAfterSeconds), this::resourcesInFile));
        }
    }

    /** NDJSON: one resource per non-empty line. */
    private long resourcesInFile(String url) {
        IdType id = new IdType(url).toUnqualifiedVersionless();
        Binary file = binaries.read(new IdType("Binary", id.getIdPart()), new SystemRequestDetails());
        if (file.getData() == null) {
            return 0;
        }
        return new String(file.getData(), StandardCharsets.UTF_8).lines().filter(line -> !line.isBlank()).count();
    }

    /** Puts the configured Retry-After in place of the one HAPI's provider writes. */
    static final class RetryAfterResponse extends HttpServletResponseWrapper {

        private final String retryAfterSeconds;

        RetryAfterResponse(HttpServletResponse response, String retryAfterSeconds) {
            super(response);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        @Override
        public void addHeader(String name, String value) {
            super.addHeader(name, Constants.HEADER_RETRY_AFTER.equalsIgnoreCase(name) ? retryAfterSeconds : value);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, Constants.HEADER_RETRY_AFTER.equalsIgnoreCase(name) ? retryAfterSeconds : value);
        }
    }
}
