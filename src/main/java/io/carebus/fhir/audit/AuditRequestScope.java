package io.carebus.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;

/**
 * Marks where a REST request on {@code /fhir} starts and ends on its thread, so that {@link QueuedAuditEventSink}
 * can take the AuditEvents of one request together (HAPI records them during the request, one per resource
 * written). HAPI calls SERVER_PROCESSING_COMPLETED once per request, whatever its outcome.
 */
@Interceptor
public class AuditRequestScope {

    private final QueuedAuditEventSink sink;

    public AuditRequestScope(QueuedAuditEventSink sink) {
        this.sink = sink;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void requestStarts() {
        sink.beginRequest();
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED)
    public void requestEnds() {
        sink.endRequest();
    }
}
