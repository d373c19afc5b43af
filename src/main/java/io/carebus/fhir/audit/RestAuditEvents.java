package io.carebus.fhir.audit;

import java.util.Date;

import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpConstants;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.StringType;

/**
 * AuditEvents of a REST request in the shape of HAPI's IHE BALP events, for what Carebus records itself: type
 * rest, subtype the interaction, the client, server and user agents, the request id, then the data, query and
 * patient entities the caller adds.
 */
final class RestAuditEvents {

    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";

    private RestAuditEvents() {
    }

    /** The event of {@code request} with outcome 0 (success) and its agents; entities are added by the caller. */
    static AuditEvent of(RequestDetails request, IBalpAuditContextServices identities) {
        RestOperationTypeEnum interaction = request.getRestOperationType();
        AuditEvent event = new AuditEvent();
        event.getType().setSystem(BalpConstants.CS_AUDIT_EVENT_TYPE).setCode("rest").setDisplay("Restful Operation");
        if (interaction != null) {
            event.addSubtype().setSystem(BalpConstants.CS_RESTFUL_INTERACTION).setCode(interaction.getCode())
                    .setDisplay(interaction.getCode());
        }
        event.setAction(action(interaction));
        event.setOutcome(AuditEventOutcome._0);
        event.setRecorded(new Date());
        event.getSource().getObserver().setDisplay(request.getFhirServerBase());

        AuditEvent.AuditEventAgentComponent client = event.addAgent();
        client.setWho(identities.getAgentClientWho(request));
        client.getType().addCoding().setSystem(DCM).setCode("110153").setDisplay("Source Role ID");
        String address = identities.getNetworkAddress(request);
        client.getWho().setDisplay(address);
        client.getNetwork().setAddress(address).setType(identities.getNetworkAddressType(request));
        client.setRequestor(false);

        AuditEvent.AuditEventAgentComponent server = event.addAgent();
        server.getType().addCoding().setSystem(DCM).setCode("110152").setDisplay("Destination Role ID");
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
        return event;
    }

    /** The resource the request named (DICOM object role 4, domain resource). */
    static void addData(AuditEvent event, String resourceId) {
        AuditEvent.AuditEventEntityComponent data = event.addEntity();
        data.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT);
        data.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode(BalpConstants.CS_OBJECT_ROLE_4_DOMAIN_RESOURCE);
        data.getWhat().setReference(resourceId);
    }

    /** The request itself as the query (DICOM object role 24): method and URL. */
    static void addQuery(AuditEvent event, RequestDetails request) {
        AuditEvent.AuditEventEntityComponent query = event.addEntity();
        query.getType().setSystem(BalpConstants.CS_AUDIT_ENTITY_TYPE)
                .setCode(BalpConstants.CS_AUDIT_ENTITY_TYPE_2_SYSTEM_OBJECT);
        query.getRole().setSystem(BalpConstants.CS_OBJECT_ROLE).setCode(BalpConstants.CS_OBJECT_ROLE_24_QUERY);
        query.setDescription(request.getRequestType() + " " + request.getCompleteUrl());
    }

    /** What an export kick-off naming no patient covers, as a detail of the query entity ({@link #addQuery}). */
    static void addExportScope(AuditEvent event, String scope) {
        addQueryDetail(event, "export", scope);
    }

    /** A detail of the query entity ({@link #addQuery}): what an export covers, a Bundle entry's request. */
    static void addQueryDetail(AuditEvent event, String type, String value) {
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if (BalpConstants.CS_OBJECT_ROLE_24_QUERY.equals(entity.getRole().getCode())) {
                entity.addDetail().setType(type).setValue(new StringType(value));
            }
        }
    }

    /** The patient the event is about (DICOM object role 1), e.g. {@code Patient/123}. */
    static void addPatient(AuditEvent event, String patient) {
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
    static AuditEventAction action(RestOperationTypeEnum interaction) {
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
