package io.carebus.fhir.bulk;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

import ca.uhn.fhir.batch2.api.IJobCoordinator;
import ca.uhn.fhir.batch2.model.JobInstance;
import ca.uhn.fhir.batch2.model.StatusEnum;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.BulkExportJobResults;
import ca.uhn.fhir.jpa.api.model.ExpungeOptions;
import ca.uhn.fhir.jpa.model.util.JpaConstants;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.provider.ProviderConstants;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import ca.uhn.fhir.util.JsonUtil;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.hl7.fhir.r4.model.Binary;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status endpoint ({@code $export-poll-status}) as the Bulk Data Access IG 2.0 wants it where HAPI's provider
 * differs: a poll of a cancelled export answers 404 with an OperationOutcome ("Following the delete request, when
 * subsequent requests are made to the polling location, the server SHALL return a 404 Not Found error"), and a
 * poll of a running export carries the configured Retry-After instead of HAPI's fixed 120 s, and the manifest of
 * a complete one gives each file's {@code count}.
 *
 * <p>A failed export answers 500 with an OperationOutcome, as the IG's "Error Status" asks, but a generic one
 * naming the job: HAPI's provider puts the job's error message in it, which may carry internal details (SQL, host
 * names, exception text, search values). The error stays in HAPI's job store (BT2_JOB_INSTANCE.ERROR_MSG) and is
 * logged at DEBUG; the WARN log line has the job id and the HAPI message codes only.
 *
 * <p>A DELETE of a complete export is the client saying it is done with the files ("Bulk Data Delete Request"):
 * HAPI's provider answers it 404, here it answers 202, the export's files are deleted and the job is marked
 * cancelled, which HAPI's job store allows for a complete job too, so that the status URL answers 404 from then on
 * (after a restart as well).
 */
@Interceptor
public class BulkExportStatusInterceptor {

    private static final Logger log = LoggerFactory.getLogger(BulkExportStatusInterceptor.class);
    private static final Pattern HAPI_CODE = Pattern.compile("HAPI-\\d+");

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
        if (jobId != null) {
            JobInstance job = jobCoordinator.getInstance(jobId);
            if (job.isCancelled() || job.getStatus() == StatusEnum.CANCELLED) {
                // IG: "Following the delete request, when subsequent requests are made to the polling location,
                // the server SHALL return a 404 Not Found error and an associated FHIR OperationOutcome"
                throw new ResourceNotFoundException("Bulk export job " + jobId + " was cancelled or deleted");
            }
            if (job.getStatus() == StatusEnum.FAILED && request instanceof ServletRequestDetails servlet
                    && servlet.getServletResponse() != null) {
                answerFailed(job, servlet);
                return;
            }
            if (request.getRequestType() == RequestTypeEnum.DELETE && job.getStatus() == StatusEnum.COMPLETED
                    && request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null) {
                deleteCompleted(job, servlet);
                return;
            }
        }
        if (request instanceof ServletRequestDetails servlet && servlet.getServletResponse() != null) {
            // the job may complete between this check and the provider's: both answers are prepared for
            servlet.setServletResponse(new ManifestCountsResponse(
                    new RetryAfterResponse(servlet.getServletResponse(), retryAfterSeconds), this::resourcesInFile));
        }
    }

    /**
     * Marks the job cancelled (JpaJobPersistenceImpl.cancelInstance sets the flag whatever the job's status), deletes
     * its output files with their history and answers 202 with an information OperationOutcome (IG 2.0 "Bulk Data
     * Delete Request": "Response - Success: HTTP Status Code of 202 Accepted; Optionally a FHIR OperationOutcome
     * resource"). HAPI's provider still runs after this hook, its 404 going to a response nobody sends.
     */
    private void deleteCompleted(JobInstance job, ServletRequestDetails servlet) {
        jobCoordinator.cancelInstance(job.getInstanceId());
        for (String file : outputFiles(job)) {
            try {
                IdType id = new IdType("Binary", new IdType(file).getIdPart());
                binaries.delete(id, new SystemRequestDetails());
                // a delete keeps the earlier versions readable (Binary/<id>/_history/1): they go too
                binaries.forceExpungeInExistingTransaction(id, new ExpungeOptions().setExpungeDeletedResources(true)
                        .setExpungeOldVersions(true), new SystemRequestDetails());
            } catch (ResourceNotFoundException | ResourceGoneException alreadyGone) {
                // purged at the end of the retention period, or deleted by an earlier request
            }
        }
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.INFORMATION)
                .setCode(OperationOutcome.IssueType.INFORMATIONAL)
                .setDiagnostics("Bulk export job " + job.getInstanceId() + " and its files were deleted");
        writeAndDiscardTheRest(servlet, HttpServletResponse.SC_ACCEPTED, outcome);
    }

    /** Answers now; HAPI's provider, which still runs after this hook, writes to a response nobody sends. */
    private static void writeAndDiscardTheRest(ServletRequestDetails servlet, int status, OperationOutcome outcome) {
        HttpServletResponse response = servlet.getServletResponse();
        response.setStatus(status);
        response.setContentType(Constants.CT_FHIR_JSON_NEW);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        try (Writer writer = response.getWriter()) {
            servlet.getFhirContext().newJsonParser().encodeResourceToWriter(outcome, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        servlet.setServletResponse(new DiscardedResponse(response));
    }

    /**
     * IG 2.0 "Response - Error Status": "HTTP status code of 4XX or 5XX; Content-Type header of application/fhir+json
     * when body is a FHIR OperationOutcome resource". The diagnostics name the job and nothing of its error.
     */
    private void answerFailed(JobInstance job, ServletRequestDetails servlet) {
        String error = job.getErrorMessage() == null ? "" : job.getErrorMessage();
        List<String> codes = HAPI_CODE.matcher(error).results().map(MatchResult::group).distinct()
                .toList();
        // the error text may quote search values or resource content: only its HAPI message codes above DEBUG
        log.warn("Bulk export job {} failed (error codes {}); the error is kept with the job", job.getInstanceId(),
                codes);
        log.debug("Bulk export job {} error: {}", job.getInstanceId(), error);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.EXCEPTION)
                .setDiagnostics("The export failed; see the engine log for job " + job.getInstanceId());
        writeAndDiscardTheRest(servlet, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, outcome);
    }

    private static List<String> outputFiles(JobInstance job) {
        if (job.getReport() == null || job.getReport().isBlank()) {
            return List.of();
        }
        return JsonUtil.deserialize(job.getReport(), BulkExportJobResults.class).getResourceTypeToBinaryIds()
                .values().stream().flatMap(List::stream).toList();
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

    /** A response already sent: whatever is written to it afterwards goes nowhere. */
    static final class DiscardedResponse extends HttpServletResponseWrapper {

        private final PrintWriter writer = new PrintWriter(Writer.nullWriter());

        DiscardedResponse(HttpServletResponse response) {
            super(response);
        }

        @Override
        public void setStatus(int status) {
        }

        @Override
        public void sendError(int status) {
        }

        @Override
        public void sendError(int status, String message) {
        }

        @Override
        public void setHeader(String name, String value) {
        }

        @Override
        public void addHeader(String name, String value) {
        }

        @Override
        public void setContentType(String type) {
        }

        @Override
        public void setCharacterEncoding(String charset) {
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public ServletOutputStream getOutputStream() {
            return new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                }

                @Override
                public void write(byte[] b, int off, int len) {
                }
            };
        }
    }
}
