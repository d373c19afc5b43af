package io.carebus.fhir.smart;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;
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
}
