package io.carebus.fhir.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AuditEvents for the disclosures HAPI's BALP interceptor leaves out: it audits reads, searches and writes, but
 * not history ({@code _history} of an instance, a type or the server) nor operations that answer with patient data
 * ({@code Patient/$everything}, {@code Subscription/$events}), nor a Bulk Data {@code $export} kick-off. Each
 * answer gets one event per patient whose data it holds (as BALP's PatientQuery: the query and the patient), or
 * one without a patient for a history that holds none; an operation answering no patient data is not audited.
 * A kick-off names the exported Patient or Group and the request's {@code patient} parameters.
 */
@Interceptor
public class DisclosureAuditInterceptor {

    private static final Logger log = LoggerFactory.getLogger(DisclosureAuditInterceptor.class);

    private static final Set<RestOperationTypeEnum> HISTORY = Set.of(RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE, RestOperationTypeEnum.HISTORY_SYSTEM);
    private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
    /** Bulk Data IG: the kick-off answers 202 with no resource; the files are read (and audited) as Binary. */
    private static final String EXPORT = "$export";

    private final IBalpAuditEventSink sink;
    private final IBalpAuditContextServices identities;

    public DisclosureAuditInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices identities) {
        this.sink = sink;
        this.identities = identities;
    }

    /** After the authorization checks of the response (order): a refused answer is audited as a failure instead. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 1000)
    public void answered(RequestDetails request, IBaseResource response) {
        RestOperationTypeEnum interaction = request.getRestOperationType();
        boolean history = HISTORY.contains(interaction);
        if (response == null || !(history || OPERATIONS.contains(interaction))
                || "AuditEvent".equals(request.getResourceName())) {
            return;
        }
        try {
            Set<String> patients = patientsIn(request.getFhirContext(), response);
            if (patients.isEmpty() && history) {
                sink.recordAuditEvent(query(request));
            }
            for (String patient : patients) {
                AuditEvent event = query(request);
                RestAuditEvents.addPatient(event, patient);
                sink.recordAuditEvent(event);
            }
        } catch (RuntimeException e) {
            log.warn("AuditEvent of a {} answer not recorded: {}", interaction, e.toString());
        }
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(RequestDetails request) {
        if (!EXPORT.equals(request.getOperation())) {
            return;
        }
        try {
            AuditEvent event = query(request);
            if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
                String id = request.getResourceName() + "/" + request.getId().getIdPart();
                RestAuditEvents.addData(event, id);
                if ("Patient".equals(request.getResourceName())) {
                    RestAuditEvents.addPatient(event, id);
                }
            }
            String[] patients = request.getParameters() == null ? null : request.getParameters().get("patient");
            if (patients != null) {
                for (String patient : patients) {
                    RestAuditEvents.addPatient(event, patient.startsWith("Patient/") ? patient : "Patient/" + patient);
                }
            }
            sink.recordAuditEvent(event);
        } catch (RuntimeException e) {
            log.warn("AuditEvent of an export kick-off not recorded: {}", e.toString());
        }
    }

    private AuditEvent query(RequestDetails request) {
        AuditEvent event = RestAuditEvents.of(request, identities);
        RestAuditEvents.addQuery(event, request);
        return event;
    }

    /** The Patient compartment owners of the answer's resources (a Patient is its own owner). */
    static Set<String> patientsIn(FhirContext fhir, IBaseResource response) {
        List<IBaseResource> resources = new ArrayList<>();
        if (response instanceof Bundle bundle) {
            bundle.getEntry().stream().filter(Bundle.BundleEntryComponent::hasResource)
                    .forEach(entry -> resources.add(entry.getResource()));
        } else {
            resources.add(response);
        }
        Set<String> patients = new TreeSet<>();
        FhirTerser terser = fhir.newTerser();
        for (IBaseResource resource : resources) {
            String type = fhir.getResourceType(resource);
            if ("Patient".equals(type)) {
                if (resource.getIdElement().hasIdPart()) {
                    patients.add("Patient/" + resource.getIdElement().getIdPart());
                }
            } else if (!fhir.getResourceDefinition(resource).getSearchParamsForCompartmentName("Patient").isEmpty()) {
                for (IIdType owner : terser.getCompartmentOwnersForResource("Patient", resource, Set.<String>of())) {
                    patients.add("Patient/" + owner.getIdPart());
                }
            }
        }
        return patients;
    }
}
