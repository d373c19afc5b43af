package io.carebus.fhir.smart;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/** The Patient compartment of one patient (FHIR R4 CompartmentDefinition patient): what patient/ scopes reach. */
final class PatientCompartment {

    private PatientCompartment() {
    }

    /** True if {@code resource} is the patient itself, or in its compartment. */
    static boolean contains(FhirContext fhirContext, IBaseResource resource, String patientId) {
        if ("Patient".equals(fhirContext.getResourceType(resource))) {
            return patientId.equals(resource.getIdElement().getIdPart());
        }
        return fhirContext.newTerser().isSourceInCompartmentForTarget("Patient", resource,
                new IdType("Patient", patientId));
    }

    /**
     * True if {@code resource} is the patient itself, or in its compartment and in no other patient's: what a
     * patient/ scope may write (an Observation of the patient naming another patient as performer is in that
     * patient's record as well).
     */
    static boolean containsOnly(FhirContext fhirContext, IBaseResource resource, String patientId) {
        if ("Patient".equals(fhirContext.getResourceType(resource))) {
            return patientId.equals(resource.getIdElement().getIdPart());
        }
        List<IIdType> owners = fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource, Set.of());
        return contains(fhirContext, resource, patientId)
                && owners.stream().allMatch(owner -> patientId.equals(owner.getIdPart()));
    }
}
