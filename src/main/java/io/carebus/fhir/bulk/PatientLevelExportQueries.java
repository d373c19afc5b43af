package io.carebus.fhir.bulk;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.jpa.bulk.export.api.IBulkExportProcessor;
import ca.uhn.fhir.jpa.bulk.export.model.ExportPIDIteratorParameters;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters.ExportStyle;
import ca.uhn.fhir.rest.api.server.storage.IResourcePersistentId;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.IdType;

/**
 * Finds the resources of a Patient-level export without HAPI's "missing fields" index.
 *
 * <p>HAPI's own query for {@code /Patient/$export} asks for every resource whose patient reference is present
 * ({@code patient:missing=false}), and HAPI refuses a Patient-level export outright (HAPI-797) when the
 * missing-fields index is off. The index writes a row for every search parameter a resource does not use (about
 * thirty per Observation), which cost about a third of the FHIR write path's CPU in {@code bench/run fhir-ingest},
 * so Carebus leaves it off and asks differently:
 * <ul>
 *   <li>with patients named ({@code Patient/<id>/$export}, the {@code patient} parameter): a search of each type on
 *       its Patient compartment parameters ({@code Observation?subject=Patient/a,Patient/b}, one per parameter,
 *       which HAPI's system-level export runs as ORed {@code _typeFilter}s, each ANDed with the client's own);</li>
 *   <li>for all patients: the system-level query of each type, and {@link PatientCompartmentExportFilter} drops
 *       the resources that are in no patient's compartment as the files are written.</li>
 * </ul>
 * The job itself stays a Patient-level export (its parameters, manifest and access rules are untouched): only the
 * per-type query HAPI runs is changed here.
 */
final class PatientLevelExportQueries<T extends IResourcePersistentId<?>> implements IBulkExportProcessor<T> {

    private final IBulkExportProcessor<T> hapi;
    private final FhirContext fhirContext;

    PatientLevelExportQueries(IBulkExportProcessor<T> hapi, FhirContext fhirContext) {
        this.hapi = hapi;
        this.fhirContext = fhirContext;
    }

    @Override
    public Iterator<T> getResourcePidIterator(ExportPIDIteratorParameters parameters) {
        if (parameters.getExportStyle() != ExportStyle.PATIENT) {
            return hapi.getResourcePidIterator(parameters);
        }
        // HAPI's step passes the same parameters for each resource type: changed for this call only. HAPI reads
        // the matching ids into a set before it returns.
        List<String> filters = parameters.getFilters();
        List<String> patients = parameters.getPatientIds();
        try {
            if (patients != null && !patients.isEmpty()) {
                parameters.setFilters(compartmentFilters(parameters.getResourceType(), filters, patients));
            }
            parameters.setExportStyle(ExportStyle.SYSTEM);
            return hapi.getResourcePidIterator(parameters);
        } finally {
            parameters.setExportStyle(ExportStyle.PATIENT);
            parameters.setFilters(filters);
        }
    }

    @Override
    public void expandMdmResources(List<IBaseResource> resources) {
        hapi.expandMdmResources(resources);
    }

    /**
     * The type's {@code _typeFilter}s, each ANDed with one Patient compartment parameter naming the patients; the
     * filters of other types are kept as they are (HAPI picks a type's own).
     */
    List<String> compartmentFilters(String resourceType, List<String> filters, List<String> patientIds) {
        List<String> own = new ArrayList<>();
        List<String> result = new ArrayList<>();
        for (String filter : filters == null ? List.<String>of() : filters) {
            (filter.startsWith(resourceType + "?") ? own : result).add(filter);
        }
        if (own.isEmpty()) {
            own.add(resourceType + "?");
        }
        List<IdType> patients = patientIds.stream().map(IdType::new).toList();
        List<String> clauses = new ArrayList<>();
        if ("Patient".equals(resourceType)) {
            clauses.add("_id=" + patients.stream().map(IdType::getIdPart).collect(Collectors.joining(",")));
        } else {
            String references = patients.stream().map(id -> "Patient/" + id.getIdPart())
                    .collect(Collectors.joining(","));
            for (RuntimeSearchParam parameter : fhirContext.getResourceDefinition(resourceType)
                    .getSearchParamsForCompartmentName("Patient")) {
                clauses.add(parameter.getName() + "=" + references);
            }
        }
        if (clauses.isEmpty()) {
            // HAPI's kick-off refuses such a type; a filter-less query here would export every patient's
            throw new IllegalArgumentException(resourceType + " has no Patient compartment search parameter");
        }
        for (String filter : own) {
            String joint = filter.endsWith("?") ? "" : "&";
            for (String clause : clauses) {
                result.add(filter + joint + clause);
            }
        }
        return result;
    }
}
