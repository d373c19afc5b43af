package io.carebus.fhir.audit;

import java.util.Map;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.util.UrlUtil;

/**
 * Marks where a REST request on {@code /fhir} starts and ends on its thread, so that {@link QueuedAuditEventSink}
 * can take the AuditEvents of one request together (HAPI records them during the request, one per resource
 * written). HAPI calls SERVER_PROCESSING_COMPLETED once per request, whatever its outcome.
 * <p>
 * The GET entries of a batch or transaction are sub-requests of their Bundle's request, each with its own
 * SERVER_INCOMING_REQUEST_PRE_HANDLED: they stay within the Bundle's request, and get the URL that BALP's query
 * AuditEvent describes them by (HAPI leaves it unset on a sub-request), and a read is a read.
 */
@Interceptor
public class AuditRequestScope {

    private final QueuedAuditEventSink sink;

    public AuditRequestScope(QueuedAuditEventSink sink) {
        this.sink = sink;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void requestStarts(RequestDetails request) {
        if (request.isSubRequest()) {
            if (request.getCompleteUrl() == null) {
                request.setCompleteUrl(entryUrl(request));
            }
            if (request.getRestOperationType() == RestOperationTypeEnum.VREAD
                    && (request.getId() == null || !request.getId().hasVersionIdPart())) {
                // HAPI types a read entry by its read method, which serves vread too: without a version, a read
                request.setRestOperationType(RestOperationTypeEnum.READ);
            }
            return;
        }
        sink.beginRequest();
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void requestEnds(RequestDetails request) {
        if (!request.isSubRequest()) {
            sink.endRequest();
        }
    }

    /** {@code <base>/<path>?<parameters>}, as BALP writes a query's URL. */
    private static String entryUrl(RequestDetails request) {
        StringBuilder url = new StringBuilder().append(request.getFhirServerBase()).append('/')
                .append(request.getRequestPath());
        char separator = '?';
        for (Map.Entry<String, String[]> parameter : request.getParameters().entrySet()) {
            for (String value : parameter.getValue()) {
                url.append(separator).append(UrlUtil.escapeUrlParam(parameter.getKey())).append('=')
                        .append(UrlUtil.escapeUrlParam(value));
                separator = '&';
            }
        }
        return url.toString();
    }
}
