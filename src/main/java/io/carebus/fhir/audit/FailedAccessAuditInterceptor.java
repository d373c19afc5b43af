package io.carebus.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AuditEvent for a FHIR request that failed (not found, forbidden, invalid, server error): HAPI's BALP
 * interceptor records only what succeeded. Same shape as a BALP event (type rest, subtype the interaction, the
 * client, server and user agents, the data and patient entities) with outcome 4 (minor failure: the client's
 * request, 4xx) or 8 (serious failure: 5xx) and the HTTP status and message in outcomeDesc.
 */
@Interceptor
public class FailedAccessAuditInterceptor {

    private static final Logger log = LoggerFactory.getLogger(FailedAccessAuditInterceptor.class);

    private final IBalpAuditEventSink sink;
    private final IBalpAuditContextServices identities;

    public FailedAccessAuditInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices identities) {
        this.sink = sink;
        this.identities = identities;
    }

    @Hook(Pointcut.SERVER_HANDLE_EXCEPTION)
    public boolean failed(RequestDetails request, BaseServerResponseException exception) {
        try {
            if (!"AuditEvent".equals(request.getResourceName())) {
                sink.recordAuditEvent(auditEvent(request, exception));
            }
        } catch (RuntimeException e) {
            log.warn("AuditEvent of a failed request not recorded: {}", e.toString());
        }
        return true;
    }

    private AuditEvent auditEvent(RequestDetails request, BaseServerResponseException exception) {
        AuditEvent event = RestAuditEvents.of(request, identities);
        event.setOutcome(exception.getStatusCode() >= 500 ? AuditEventOutcome._8 : AuditEventOutcome._4);
        event.setOutcomeDesc(exception.getStatusCode() + " " + exception.getMessage());
        if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
            String id = request.getResourceName() + "/" + request.getId().getIdPart();
            RestAuditEvents.addData(event, id);
            if ("Patient".equals(request.getResourceName())) {
                RestAuditEvents.addPatient(event, id);
            }
        } else {
            RestAuditEvents.addQuery(event, request);
        }
        for (String param : new String[] {"patient", "subject"}) {
            String[] values = request.getParameters() == null ? null : request.getParameters().get(param);
            if (values != null) {
                for (String value : values) {
                    if (value.contains("/") && !value.startsWith("Patient/")) {
                        continue;
                    }
                    RestAuditEvents.addPatient(event, value.startsWith("Patient/") ? value : "Patient/" + value);
                }
            }
        }
        return event;
    }
}
