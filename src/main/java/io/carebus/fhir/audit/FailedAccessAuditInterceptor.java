package io.carebus.fhir.audit;

import java.util.Date;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
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
        RestOperationTypeEnum interaction = request.getRestOperationType();
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(BalpConstants.CS_AUDIT_EVENT_TYPE).setCode("rest").setDisplay("Restful Operation");
        if (interaction != null) {
            event.addSubtype().setSystem(BalpConstants.CS_RESTFUL_INTERACTION).setCode(interaction.getCode())
                    .setDisplay(interaction.getCode());
        }
        event.setAction(action(interaction));
        event.setOutcome(exception.getStatusCode() >= 500 ? AuditEventOutcome._8 : AuditEventOutcome._4);
        event.setOutcomeDesc(exception.getStatusCode() + " " + exception.getMessage());
        event.setRecorded(new Date());
        event.getSource().getObserver().setDisplay(request.getFhirServerBase());

        AuditEvent.AuditEventAgentComponent client = event.addAgent();
        client.setWho(identities.getAgentClientWho(request));
        client.getType().addCoding().setSystem("http://dicom.nema.org/resources/ontology/DCM").setCode("110153")
                .setDisplay("Source Role ID");
        String address = identities.getNetworkAddress(request);
        client.getWho().setDisplay(address);
        client.getNetwork().setAddress(address).setType(identities.getNetworkAddressType(request));
        client.setRequestor(false);

        AuditEvent.AuditEventAgentComponent server = event.addAgent();
        server.getType().addCoding().setSystem("http://dicom.nema.org/resources/ontology/DCM").setCode("110152")
                .setDisplay("Destination Role ID");
        server.getWho().setDisplay(request.getFhirServerBase());
        server.getNetwork().setAddress(request.getFhirServerBase());
        server.setRequestor(false);

        AuditEvent.AuditEventAgentComponent user = event.addAgent();
        user.getType().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/v3-ParticipationType")
                .setCode("IRCP").setDisplay("information recipient");
        user.setWho(identities.getAgentUserWho(request));
        user.setRequestor(true);

        AuditEvent.AuditEventEntityComponent transaction = event.addEntity();
        transaction.getType().setSystem("https://profiles.ihe.net/ITI/BALP/CodeSystem/BasicAuditEntityType")
                .setCode("XrequestId");
        transaction.getWhat().getIdentifier().setValue(request.getRequestId());

        if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
            String id = request.getResourceName() + "/" + request.getId().getIdPart();
            AuditEvent.AuditEventEntityComponent data = event.addEntity();
            data.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                    .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT);
            data.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE)
                    .setCode(BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE);
            data.getWhat().setReference(id);
            if ("Patient".equals(request.getResourceName())) {
                addPatient(event, id);
            }
        } else {
            AuditEvent.AuditEventEntityComponent query = event.addEntity();
            query.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                    .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT);
            query.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE)
                    .setCode(BalpConstants.CS_OBJECT_ROLE_24_QUERY);
            query.setDescription(request.getRequestType() + " " + request.getCompleteUrl());
        }
        for (String param : new String[] {"patient", "subject"}) {
            String[] values = request.getParameters() == null ? null : request.getParameters().get(param);
            if (values != null) {
                for (String value : values) {
                    if (value.contains("/") && !value.startsWith("Patient/")) {
                        continue;
                    }
                    addPatient(event, value.startsWith("Patient/") ? value : "Patient/" + value);
                }
            }
        }
        return event;
    }

    private static void addPatient(AuditEvent event, String patient) {
        AuditEvent.AuditEventEntityComponent entity = event.addEntity();
        entity.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_1_PERSON);
        entity.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode(BalpConstants.CS_OBJECT_ROLE_1_PATIENT);
        entity.getWhat().setReference(patient);
    }

    /**
     * The action code of a REST interaction as IHE BALP uses it: C create, R read, U update, D delete, E execute
     * (a query is E in BALP's query profiles).
     */
    private static AuditEventAction action(RestOperationTypeEnum interaction) {
        if (interaction == null) {
            return AuditEventAction.E;
        }
        return switch (interaction) {
            case CREATE -> AuditEventAction.C;
            case READ, VREAD, HISTORY_INSTANCE, HISTORY_TYPE, HISTORY_SYSTEM -> AuditEventAction.R;
            case UPDATE, PATCH -> AuditEventAction.U;
            case DELETE -> AuditEventAction.D;
            default -> AuditEventAction.E;
        };
    }
}
