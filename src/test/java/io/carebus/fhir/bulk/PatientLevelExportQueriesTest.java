package io.carebus.fhir.bulk;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import org.junit.jupiter.api.Test;

/** The per-type searches that stand for a Patient-level export of named patients. */
class PatientLevelExportQueriesTest {

    private final PatientLevelExportQueries<?> queries =
            new PatientLevelExportQueries<>(null, FhirContext.forR4Cached());

    @Test
    void eachPatientCompartmentParameterOfTheTypeNamesThePatients() {
        assertThat(queries.compartmentFilters("Observation", List.of(), List.of("Patient/1", "Patient/2/_history/3")))
                .containsExactlyInAnyOrder("Observation?subject=Patient/1,Patient/2",
                        "Observation?patient=Patient/1,Patient/2", "Observation?performer=Patient/1,Patient/2");
    }

    @Test
    void theClientsTypeFiltersAreAndedAndOtherTypesFiltersKept() {
        assertThat(queries.compartmentFilters("Encounter",
                List.of("Encounter?status=finished", "Encounter?class=AMB", "Observation?code=1234-5"),
                List.of("Patient/7")))
                .containsExactlyInAnyOrder("Observation?code=1234-5",
                        "Encounter?status=finished&patient=Patient/7", "Encounter?status=finished&subject=Patient/7",
                        "Encounter?class=AMB&patient=Patient/7", "Encounter?class=AMB&subject=Patient/7");
    }

    @Test
    void aTypeOutsideThePatientCompartmentIsRefusedNotExportedWhole() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() ->
                queries.compartmentFilters("Practitioner", List.of(), List.of("Patient/1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Practitioner");
    }

    @Test
    void thePatientItselfByItsId() {
        assertThat(queries.compartmentFilters("Patient", List.of("Patient?active=true"), List.of("Patient/1", "2")))
                .containsExactly("Patient?active=true&_id=1,2");
    }
}
