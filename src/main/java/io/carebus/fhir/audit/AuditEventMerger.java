package io.carebus.fhir.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;

/**
 * Stores the write events of one request as one AuditEvent. HAPI's BALP interceptor records an AuditEvent per
 * resource written, so a transaction Bundle of 20 resources would cost 20 stored AuditEvents, each as expensive to
 * store as the resource it audits. Given the events of one request, the create, update and delete events that agree
 * on everything but the resource (type and subtype, action, outcome, every agent with its network address, source,
 * patients) become one event whose entities are the patients once and every resource written; it keeps the
 * earliest {@code recorded}. Reads, searches and failures stay one per event.
 */
final class AuditEventMerger {

    /** DICOM object role 1: the patient an event is about (BALP). */
    private static final String PATIENT_ROLE = "1";

    private AuditEventMerger() {
    }

    static List<AuditEvent> merge(List<AuditEvent> events) {
        Map<String, AuditEvent> merged = new LinkedHashMap<>();
        List<AuditEvent> out = new ArrayList<>(events.size());
        for (AuditEvent event : events) {
            String key = mergeKey(event);
            if (key == null) {
                out.add(event);
                continue;
            }
            AuditEvent into = merged.get(key);
            if (into == null) {
                merged.put(key, event);
                out.add(event);
                continue;
            }
            for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                if (!isPatient(entity)) {
                    into.addEntity(entity);
                }
            }
            if (event.getRecorded() != null && event.getRecorded().before(into.getRecorded())) {
                into.setRecorded(event.getRecorded());
            }
        }
        return out;
    }

    /** What two mergeable events must share; null for an event never merged. */
    static String mergeKey(AuditEvent event) {
        AuditEvent.AuditEventAction action = event.getAction();
        if (action != AuditEvent.AuditEventAction.C && action != AuditEvent.AuditEventAction.U
                && action != AuditEvent.AuditEventAction.D) {
            return null;
        }
        if (event.getOutcome() != AuditEvent.AuditEventOutcome._0 || event.getRecorded() == null) {
            return null;
        }
        StringBuilder key = new StringBuilder(256);
        key.append(action.toCode());
        append(key, event.getType());
        for (Coding subtype : event.getSubtype()) {
            append(key, subtype);
        }
        for (AuditEvent.AuditEventAgentComponent agent : event.getAgent()) {
            key.append("|agent:").append(agent.getRequestor())
                    .append(',').append(agent.getWho().getIdentifier().getSystem())
                    .append(',').append(agent.getWho().getIdentifier().getValue())
                    .append(',').append(agent.getWho().getReference())
                    .append(',').append(agent.getWho().getDisplay())
                    .append(',').append(agent.getNetwork().getAddress());
            for (Coding type : agent.getType().getCoding()) {
                append(key, type);
            }
        }
        key.append("|source:").append(event.getSource().getObserver().getDisplay())
                .append(',').append(event.getSource().getObserver().getReference())
                .append(',').append(event.getSource().getSite());
        TreeSet<String> patients = new TreeSet<>();
        for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
            if (isPatient(entity)) {
                patients.add(entity.getWhat().getReference() + "," + entity.getWhat().getIdentifier().getValue());
            }
        }
        key.append("|patients:").append(patients);
        return key.toString();
    }

    private static boolean isPatient(AuditEvent.AuditEventEntityComponent entity) {
        return PATIENT_ROLE.equals(entity.getRole().getCode());
    }

    private static void append(StringBuilder key, Coding coding) {
        key.append('|').append(coding.getSystem()).append('#').append(coding.getCode());
    }
}
