package io.carebus.fhir.bulk;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

/**
 * The status endpoint ({@code $export-poll-status}) as the Bulk Data Access IG 2.0 wants it where HAPI's provider
 * differs: a poll of a cancelled export answers 404 with an OperationOutcome ("Following the delete request, when
 * subsequent requests are made to the polling location, the server SHALL return a 404 Not Found error"), and a
 * poll of a running export carries the configured Retry-After instead of HAPI's fixed 120 s.
 */
@Interceptor
public class BulkExportStatusInterceptor {

    private final IJobCoordinator jobCoordinator;
    private final String retryAfterSeconds;

    public BulkExportStatusInterceptor(IJobCoordinator jobCoordinator, int retryAfterSeconds) {
        this.jobCoordinator = jobCoordinator;
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
            servlet.setServletResponse(new RetryAfterResponse(servlet.getServletResponse(), retryAfterSeconds));
        }
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
