package io.carebus.fhir.bulk;

import java.util.List;
import java.util.Set;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Keeps a Patient-level export of all patients to the Patient compartment (Bulk Data Access IG: "all data on all
 * patients"): a resource goes into the files only if it is a Patient or in some patient's compartment. Its
 * counterpart {@link PatientLevelExportQueries} runs the system-level query of each type for such an export.
 */
@Interceptor
public class PatientCompartmentExportFilter {

    private final FhirContext fhirContext;

    public PatientCompartmentExportFilter(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
    }

    @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
    public boolean include(BulkExportJobParameters parameters, IBaseResource resource) {
        List<String> patients = parameters.getPatientIds();
        if (parameters.getExportStyle() != ExportStyle.PATIENT || (patients != null && !patients.isEmpty())) {
            return true;   // a named patient's data is found by its compartment search already
        }
        return "Patient".equals(fhirContext.getResourceType(resource))
                || !fhirContext.newTerser().getCompartmentOwnersForResource("Patient", resource,
                        Set.of()).isEmpty();
    }
}
