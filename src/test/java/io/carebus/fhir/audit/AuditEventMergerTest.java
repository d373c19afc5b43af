package io.carebus.fhir.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Date;
import java.util.List;

import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.Test;

class AuditEventMergerTest {

    private static final long T0 = 1_764_000_000_000L;   // a whole second

    @Test
    void theWritesOfOneTransactionBecomeOneEventListingEveryResourceAndThePatientOnce() {
        List<AuditEvent> events = new ArrayList<>();
        events.add(write(AuditEvent.AuditEventAction.C, "engineer", "Patient/1", "Patient/1", T0 + 40));
        for (int i = 0; i < 19; i++) {
            events.add(write(AuditEvent.AuditEventAction.C, "engineer", "Patient/1", "Observation/" + i, T0 + 10 + i));
        }

        List<AuditEvent> merged = AuditEventMerger.merge(events);

        assertThat(merged).hasSize(1);
        AuditEvent event = merged.get(0);
        assertThat(event.getEntity()).filteredOn(e -> "1".equals(e.getRole().getCode())).hasSize(1);
        assertThat(event.getEntity()).filteredOn(e -> "4".equals(e.getRole().getCode()))
                .extracting(e -> e.getWhat().getIdentifier().getValue())
                .hasSize(20).contains("Patient/1", "Observation/0", "Observation/18");
        assertThat(event.getRecorded().getTime()).isEqualTo(T0 + 10);   // the earliest
    }

    @Test
    void eventsThatDifferInWhoPatientActionOrOutcomeStaySeparate() {
        AuditEvent base = write(AuditEvent.AuditEventAction.C, "engineer", "Patient/1", "Observation/1", T0);
        AuditEvent otherUser = write(AuditEvent.AuditEventAction.C, "analyst", "Patient/1", "Observation/2", T0);
        AuditEvent otherPatient = write(AuditEvent.AuditEventAction.C, "engineer", "Patient/2", "Observation/3", T0);
        AuditEvent update = write(AuditEvent.AuditEventAction.U, "engineer", "Patient/1", "Observation/4", T0);
        AuditEvent failed = write(AuditEvent.AuditEventAction.C, "engineer", "Patient/1", "Observation/6", T0);
        failed.setOutcome(AuditEvent.AuditEventOutcome._4);
        AuditEvent otherAddress = write(AuditEvent.AuditEventAction.C, "engineer", "Patient/1", "Observation/7", T0);
        otherAddress.getAgentFirstRep().getNetwork().setAddress("10.0.0.9");

        assertThat(AuditEventMerger.merge(List.of(base, otherUser, otherPatient, update, failed,
                otherAddress))).hasSize(6);
    }

    @Test
    void readsAndSearchesAreNeverMerged() {
        AuditEvent first = write(AuditEvent.AuditEventAction.R, "engineer", "Patient/1", "Patient/1", T0);
        AuditEvent second = write(AuditEvent.AuditEventAction.R, "engineer", "Patient/1", "Patient/1", T0);
        AuditEvent query = write(AuditEvent.AuditEventAction.E, "engineer", "Patient/1", "Observation/1", T0);
        AuditEvent query2 = write(AuditEvent.AuditEventAction.E, "engineer", "Patient/1", "Observation/1", T0);

        assertThat(AuditEventMerger.merge(List.of(first, second, query, query2))).hasSize(4);
    }

    /** The shape HAPI's BALP interceptor gives a write: requestor agent, server agent, patient and resource entities. */
    private static AuditEvent write(AuditEvent.AuditEventAction action, String user, String patient, String resource,
            long recorded) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest", null));
        event.addSubtype(new Coding("http://hl7.org/fhir/restful-interaction",
                action == AuditEvent.AuditEventAction.U ? "update" : "create", null));
        event.setAction(action);
        event.setOutcome(AuditEvent.AuditEventOutcome._0);
        event.setRecorded(new Date(recorded));
        AuditEvent.AuditEventAgentComponent requestor = event.addAgent().setRequestor(true);
        requestor.getWho().getIdentifier().setSystem(AuditIdentities.USER_SYSTEM).setValue(user);
        requestor.getNetwork().setAddress("127.0.0.1");
        event.addAgent().setRequestor(false).getWho().setDisplay("http://localhost/fhir");
        event.getSource().getObserver().setDisplay("http://localhost/fhir");
        AuditEvent.AuditEventEntityComponent patientEntity = event.addEntity();
        patientEntity.getRole().setSystem("http://terminology.hl7.org/CodeSystem/object-role").setCode("1");
        patientEntity.getWhat().getIdentifier().setSystem(QueuedAuditEventSink.REFERENCE_SYSTEM).setValue(patient);
        AuditEvent.AuditEventEntityComponent data = event.addEntity();
        data.getRole().setSystem("http://terminology.hl7.org/CodeSystem/object-role").setCode("4");
        data.getWhat().getIdentifier().setSystem(QueuedAuditEventSink.REFERENCE_SYSTEM).setValue(resource);
        return event;
    }
}
