package io.carebus.fhir.audit;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.annotation.OperationParam;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditEventSink;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Group;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Parameters;
import org.hl7.fhir.r4.model.PrimitiveType;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * AuditEvents for the disclosures HAPI's BALP interceptor leaves out: it audits reads, searches and writes, but
 * not history ({@code _history} of an instance, a type or the server) nor operations that answer with patient data
 * ({@code Patient/$everything}, {@code Subscription/$events}), nor a Bulk Data {@code $export} kick-off. Each
 * answer gets one event per patient whose data it holds (as BALP's PatientQuery: the query and the patient), or
 * one without a patient for a history that holds none; an operation answering no patient data is not audited.
 * The GET entries of a batch or transaction that BALP leaves out (history, operations) are audited the same way,
 * one event per patient their answers hold; their reads and searches are BALP's, as the same requests alone.
 * A kick-off is audited the same way, once per patient it exports: the Patient of {@code Patient/<id>/$export},
 * the {@code patient} parameters (query string or POST Parameters body) and the Patient members of an exported
 * Group (at most {@value #MAX_EXPORT_PATIENTS}, the Group's entity then says how many it has); a kick-off naming
 * no patient (system level, or every patient) is one event whose query entity says so.
 */
@Interceptor
public class DisclosureAuditInterceptor {

    private static final Logger log = LoggerFactory.getLogger(DisclosureAuditInterceptor.class);

    private static final Set<RestOperationTypeEnum> HISTORY = Set.of(RestOperationTypeEnum.HISTORY_INSTANCE,
            RestOperationTypeEnum.HISTORY_TYPE, RestOperationTypeEnum.HISTORY_SYSTEM);
    private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE,
            RestOperationTypeEnum.EXTENDED_OPERATION_SERVER);
    private static final Set<RestOperationTypeEnum> BUNDLES = Set.of(RestOperationTypeEnum.BATCH,
            RestOperationTypeEnum.TRANSACTION);
    /** Bulk Data IG: the kick-off answers 202 with no resource; the files are read (and audited) as Binary. */
    private static final String EXPORT = "$export";
    /** Where HAPI keeps the parsed body of a POST operation (OperationParameter.REQUEST_CONTENTS_USERDATA_KEY). */
    static final String PARSED_BODY = OperationParam.class.getName() + "_PARSED_RESOURCE";
    /** Patients of a Group export kick-off audited at most (one AuditEvent each); the rest are counted. */
    static final int MAX_EXPORT_PATIENTS = 1000;

    private final IBalpAuditEventSink sink;
    private final IBalpAuditContextServices identities;
    private final DaoRegistry daoRegistry;

    public DisclosureAuditInterceptor(IBalpAuditEventSink sink, IBalpAuditContextServices identities,
            DaoRegistry daoRegistry) {
        this.sink = sink;
        this.identities = identities;
        this.daoRegistry = daoRegistry;
    }

    /** After the authorization checks of the response (order): a refused answer is audited as a failure instead. */
    @Hook(value = Pointcut.SERVER_OUTGOING_RESPONSE, order = 1000)
    public void answered(RequestDetails request, IBaseResource response) {
        RestOperationTypeEnum interaction = request.getRestOperationType();
        if (response instanceof Bundle answers && BUNDLES.contains(interaction)
                && request.getResource() instanceof Bundle asked) {
            bundleReads(request, asked, answers);
            return;
        }
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

    /**
     * The GET entries of a batch or transaction that BALP leaves out (history, operations): one event per patient
     * whose data they answer, its query entity naming those entries' URLs. BALP audits their reads and searches as
     * it does a request alone (one event per access: not again here).
     */
    private void bundleReads(RequestDetails request, Bundle asked, Bundle answers) {
        try {
            Map<String, Set<String>> urlsByPatient = new TreeMap<>();
            int n = Math.min(asked.getEntry().size(), answers.getEntry().size());
            for (int i = 0; i < n; i++) {
                Bundle.BundleEntryRequestComponent entry = asked.getEntry().get(i).getRequest();
                Bundle.BundleEntryComponent answer = answers.getEntry().get(i);
                if ((entry.getMethod() != Bundle.HTTPVerb.GET && entry.getMethod() != Bundle.HTTPVerb.HEAD)
                        || !answer.hasResource() || entry.getUrl() == null || entry.getUrl().startsWith("AuditEvent")
                        || isReadOrSearch(entry.getUrl())) {
                    continue;
                }
                for (String patient : patientsIn(request.getFhirContext(), answer.getResource())) {
                    urlsByPatient.computeIfAbsent(patient, p -> new TreeSet<>()).add(entry.getUrl());
                }
            }
            urlsByPatient.forEach((patient, urls) -> {
                AuditEvent event = query(request);
                urls.forEach(url -> RestAuditEvents.addQueryDetail(event, "entry", "GET " + url));
                RestAuditEvents.addPatient(event, patient);
                sink.recordAuditEvent(event);
            });
        } catch (RuntimeException e) {
            log.warn("AuditEvent of a {} answer not recorded: {}", request.getRestOperationType(), e.toString());
        }
    }

    /**
     * A Bundle entry's URL that reads ({@code Type/id}, {@code Type/id/_history/vid}) or searches ({@code Type?...},
     * {@code ?_type=...}): what HAPI's BALP interceptor audits; not a history nor an operation ({@code $name}).
     */
    static boolean isReadOrSearch(String url) {
        int q = url.indexOf('?');
        List<String> segments = java.util.Arrays.stream((q < 0 ? url : url.substring(0, q)).split("/"))
                .filter(segment -> !segment.isEmpty()).toList();
        if (segments.stream().anyMatch(segment -> segment.startsWith("$") || segment.equals("metadata"))) {
            return false;
        }
        int history = segments.indexOf("_history");
        return history < 0 || history == segments.size() - 2;
    }

    @Hook(Pointcut.SERVER_PROCESSING_COMPLETED_NORMALLY)
    public void completed(RequestDetails request) {
        if (!EXPORT.equals(request.getOperation())) {
            return;
        }
        try {
            String exported = null;
            if (request.getId() != null && request.getId().hasIdPart() && request.getResourceName() != null) {
                exported = request.getResourceName() + "/" + request.getId().getIdPart();
            }
            Set<String> patients = new TreeSet<>();
            if (exported != null && "Patient".equals(request.getResourceName())) {
                patients.add(exported);
            }
            patients.addAll(patientParameters(request));
            String groupNote = null;
            if (exported != null && "Group".equals(request.getResourceName())) {
                List<String> members = groupMembers(request.getId().getIdPart());
                patients.addAll(members.subList(0, Math.min(members.size(), MAX_EXPORT_PATIENTS)));
                if (members.size() > MAX_EXPORT_PATIENTS) {
                    groupNote = members.size() + " Patient members, the first " + MAX_EXPORT_PATIENTS
                            + " recorded as patients of this export";
                    log.warn("Export kick-off of a Group of {} Patient members: {} audited as its patients",
                            members.size(), MAX_EXPORT_PATIENTS);
                }
            }
            if (patients.isEmpty()) {
                AuditEvent event = kickOff(request, exported, groupNote);
                RestAuditEvents.addExportScope(event, exported == null && request.getResourceName() == null
                        ? "system export: every resource type, no patient named"
                        : exported == null ? request.getResourceName() + " export: every patient, none named"
                        : exported + " export: no patient named");
                sink.recordAuditEvent(event);
            }
            for (String patient : patients) {
                AuditEvent event = kickOff(request, exported, groupNote);
                RestAuditEvents.addPatient(event, patient);
                sink.recordAuditEvent(event);
            }
        } catch (RuntimeException e) {
            log.warn("AuditEvent of an export kick-off not recorded: {}", e.toString());
        }
    }

    private AuditEvent kickOff(RequestDetails request, String exported, String note) {
        AuditEvent event = query(request);
        if (exported != null) {
            RestAuditEvents.addData(event, exported);
            if (note != null) {
                event.getEntity().get(event.getEntity().size() - 1).setDescription(note);
            }
        }
        return event;
    }

    /**
     * The {@code patient} parameters of a kick-off: in the query string, or (POST) in its Parameters body, which
     * HAPI parses before the operation runs and keeps in the request's user data.
     */
    static Set<String> patientParameters(RequestDetails request) {
        Set<String> patients = new TreeSet<>();
        String[] query = request.getParameters() == null ? null : request.getParameters().get("patient");
        if (query != null) {
            for (String patient : query) {
                for (String one : patient.split(",")) {
                    addPatient(patients, one);
                }
            }
        }
        if (request.getUserData().get(PARSED_BODY) instanceof Parameters body) {
            for (Parameters.ParametersParameterComponent parameter : body.getParameter()) {
                if ("patient".equals(parameter.getName())) {
                    if (parameter.getValue() instanceof Reference reference) {
                        addPatient(patients, reference.getReference());
                    } else if (parameter.getValue() instanceof PrimitiveType<?> primitive) {
                        addPatient(patients, primitive.getValueAsString());
                    }
                }
            }
        }
        return patients;
    }

    private static void addPatient(Set<String> patients, String reference) {
        if (reference == null || reference.isBlank()) {
            return;
        }
        IdType id = new IdType(reference.trim());
        if (id.hasIdPart() && (!id.hasResourceType() || "Patient".equals(id.getResourceType()))) {
            patients.add("Patient/" + id.getIdPart());
        }
    }

    /**
     * The Patients a Group names as members (Group.member.entity), inactive ones too, as HAPI's Group export reads
     * them ({@code _has:Group:member}); none for a Group that cannot be read (the event still names the Group).
     */
    private List<String> groupMembers(String groupId) {
        Group group;
        try {
            group = daoRegistry.getResourceDao(Group.class).read(new IdType("Group", groupId),
                    new SystemRequestDetails());
        } catch (BaseServerResponseException e) {
            log.warn("Members of an exported Group not audited: {}", e.getClass().getSimpleName());
            return List.of();
        }
        List<String> members = new ArrayList<>();
        for (Group.GroupMemberComponent member : group.getMember()) {
            IIdType entity = member.getEntity().getReferenceElement();
            if ("Patient".equals(entity.getResourceType()) && entity.hasIdPart()) {
                members.add("Patient/" + entity.getIdPart());
            }
        }
        return members;
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
