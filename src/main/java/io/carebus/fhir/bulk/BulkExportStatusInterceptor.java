package io.carebus.fhir.bulk;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

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

/**
 * The status endpoint ({@code $export-poll-status}) as the Bulk Data Access IG 2.0 wants it where HAPI's provider
 * differs: a poll of a cancelled export answers 404 with an OperationOutcome ("Following the delete request, when
 * subsequent requests are made to the polling location, the server SHALL return a 404 Not Found error"), and a
 * poll of a running export carries the configured Retry-After instead of HAPI's fixed 120 s, and the manifest of
 * a complete one gives each file's {@code count}.
 *
 * <p>A DELETE of a complete export is the client saying it is done with the files ("Bulk Data Delete Request"):
 * HAPI's provider answers it 404, here it answers 202, the export's files are deleted and the job is marked
 * cancelled, which HAPI's job store allows for a complete job too, so that the status URL answers 404 from then on
 * (after a restart as well).
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
        if (jobId != null) {
            JobInstance job = jobCoordinator.getInstance(jobId);
            if (job.isCancelled() || job.getStatus() == StatusEnum.CANCELLED) {
                // IG: "Following the delete request, when subsequent requests are made to the polling location,
                // the server SHALL return a 404 Not Found error and an associated FHIR OperationOutcome"
                throw new ResourceNotFoundException("Bulk export job " + jobId + " was cancelled or deleted");
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
        HttpServletResponse response = servlet.getServletResponse();
        response.setStatus(HttpServletResponse.SC_ACCEPTED);
        response.setContentType(Constants.CT_FHIR_JSON_NEW);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        try (Writer writer = response.getWriter()) {
            servlet.getFhirContext().newJsonParser().encodeResourceToWriter(outcome, writer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        servlet.setServletResponse(new DiscardedResponse(response));
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
