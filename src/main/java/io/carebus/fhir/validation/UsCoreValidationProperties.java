package io.carebus.fhir.validation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code carebus.fhir.validation.*}: US Core 6.1.0 validation of what is written to the FHIR server. */
@ConfigurationProperties("carebus.fhir.validation")
public class UsCoreValidationProperties {

    /** Which profiles a written resource is validated against. */
    public enum Mode {
        /** R4 and the profiles the resource declares in meta.profile. */
        DECLARED,
        /** As DECLARED, plus the type's US Core profile when the resource declares none of US Core's for its type. */
        US_CORE
    }

    /** Validate on write (create, update, patch, transaction entries, the in-process store). */
    private boolean enabled = true;
    /** The resource types validated on write; others are stored unchecked. */
    private List<String> resourceTypes = new ArrayList<>(List.of("Patient", "Encounter", "Observation", "Condition",
            "AllergyIntolerance", "Immunization", "Procedure", "DiagnosticReport", "DocumentReference",
            "MedicationRequest", "Coverage", "Practitioner", "Organization", "Location", "RelatedPerson",
            "ServiceRequest", "Provenance"));
    private Mode mode = Mode.DECLARED;
    /**
     * The US Core profile a type is validated against in mode US_CORE when it declares none. Types US Core has one
     * profile for need no entry.
     */
    private Map<String, String> defaultProfiles = new LinkedHashMap<>(Map.of(
            "Observation", UsCoreValidator.PROFILE_PREFIX + "us-core-observation-clinical-result",
            "Condition", UsCoreValidator.PROFILE_PREFIX + "us-core-condition-problems-health-concerns",
            "DiagnosticReport", UsCoreValidator.PROFILE_PREFIX + "us-core-diagnosticreport-note"));
    /** Warm the validator at start-up (in the background): load the profiles, validate a sample of each type. */
    private boolean warmUp = true;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public List<String> getResourceTypes() {
        return resourceTypes;
    }

    public void setResourceTypes(List<String> resourceTypes) {
        this.resourceTypes = resourceTypes;
    }

    public Mode getMode() {
        return mode;
    }

    public void setMode(Mode mode) {
        this.mode = mode;
    }

    public Map<String, String> getDefaultProfiles() {
        return defaultProfiles;
    }

    public void setDefaultProfiles(Map<String, String> defaultProfiles) {
        this.defaultProfiles = defaultProfiles;
    }

    public boolean isWarmUp() {
        return warmUp;
    }

    public void setWarmUp(boolean warmUp) {
        this.warmUp = warmUp;
    }
}
