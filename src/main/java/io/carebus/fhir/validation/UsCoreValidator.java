package io.carebus.fhir.validation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.TreeMap;
import java.util.List;
import java.util.Map;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.UnknownCodeSystemWarningValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * HAPI's instance validator over FHIR R4 and US Core 6.1.0 (the bundled hl7.fhir.us.core-6.1.0.tgz), built once,
 * warm and thread-safe: the write path, {@code $validate} and the benchmark share one. Offline by design: no remote
 * terminology server; terminology is checked in memory (the package's and R4's value sets, the common code systems
 * such as UCUM, BCP-47, ISO 3166). A code from a code system that is not available here (LOINC, SNOMED CT, RxNorm,
 * CPT, the VSAC value sets US Core depends on) cannot be checked and is a warning, never an error.
 */
public class UsCoreValidator {

    public static final String PACKAGE = "classpath:fhir-packages/hl7.fhir.us.core-6.1.0.tgz";
    public static final String PROFILE_PREFIX = "http://hl7.org/fhir/us/core/StructureDefinition/";
    public static final String US_CORE_SERVER = "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server";

    private final FhirContext ctx;
    private final ValidationSupportChain chain;
    private final PooledInstanceValidator module;
    private final FhirValidator validator;
    /** The US Core 6.1.0 profiles (the package's resource profiles) per resource type. */
    private final Map<String, List<String>> profilesByType;

    public UsCoreValidator(FhirContext ctx) {
        this.ctx = ctx;
        NpmPackageValidationSupport usCore = new NpmPackageValidationSupport(ctx);
        try {
            usCore.loadPackageFromClasspath(PACKAGE);
        } catch (IOException e) {
            throw new IllegalStateException("cannot load " + PACKAGE, e);
        }
        // The core specification's definitions are cached once per JVM and shared with HAPI JPA's own chain:
        // stripped here, before the validator converts them to R5, they shrink everywhere.
        StructureDefinitionDocumentation.strip(new DefaultProfileValidationSupport(ctx).fetchAllStructureDefinitions());
        StructureDefinitionDocumentation.strip(usCore.fetchAllStructureDefinitions());
        UnknownCodeSystemWarningValidationSupport unknownCodeSystems = new UnknownCodeSystemWarningValidationSupport(ctx);
        unknownCodeSystems.setNonExistentCodeSystemSeverity(IValidationSupport.IssueSeverity.WARNING);
        chain = new ValidationSupportChain(ValidationSupportChain.CacheConfiguration.defaultValues(),
                usCore,
                VsacOfflineValueSets.create(ctx),
                new DefaultProfileValidationSupport(ctx),
                new CommonCodeSystemsTerminologyService(ctx),
                new InMemoryTerminologyServerValidationSupport(ctx),
                new SnapshotGeneratingValidationSupport(ctx),
                unknownCodeSystems);
        module = new PooledInstanceValidator(chain);
        module.setAnyExtensionsAllowed(true);
        module.setErrorForUnknownProfiles(true);
        module.setNoTerminologyChecks(false);
        validator = ctx.newValidator().registerValidatorModule(module);
        profilesByType = usCoreServerProfiles(usCore);
    }

    private static Map<String, List<String>> usCoreServerProfiles(NpmPackageValidationSupport usCore) {
        Map<String, List<String>> byType = new TreeMap<>();
        for (IBaseResource resource : usCore.fetchAllStructureDefinitions()) {
            StructureDefinition sd = (StructureDefinition) resource;
            if (sd.getUrl().startsWith(PROFILE_PREFIX) && sd.getKind() == StructureDefinition.StructureDefinitionKind.RESOURCE
                    && sd.getDerivation() == StructureDefinition.TypeDerivationRule.CONSTRAINT) {
                byType.computeIfAbsent(sd.getType(), t -> new ArrayList<>()).add(sd.getUrl());
            }
        }
        byType.replaceAll((type, profiles) -> profiles.stream().sorted().toList());
        return Collections.unmodifiableMap(byType);
    }

    /**
     * Loads every US Core profile (and what it refers to) into the chain's caches and validates one sample of each
     * given resource so that the first write does not pay for it.
     *
     * @return the milliseconds it took
     */
    public long warmUp(Collection<IBaseResource> samples) {
        long t0 = System.nanoTime();
        profilesByType.values().forEach(profiles -> profiles.forEach(p -> {
            StructureDefinition sd = (StructureDefinition) chain.fetchStructureDefinition(p);
            if (sd != null && !sd.hasSnapshot()) {
                throw new IllegalStateException("no snapshot for " + p);
            }
        }));
        for (IBaseResource sample : samples) {
            validate(sample, List.of());
        }
        return (System.nanoTime() - t0) / 1_000_000;
    }

    /** Validates against R4, the profiles the resource declares (meta.profile) and the given ones. */
    public ValidationResult validate(IBaseResource resource, Collection<String> profiles) {
        ValidationOptions options = new ValidationOptions();
        profiles.forEach(options::addProfile);
        return validator.validateWithResult(resource, options);
    }

    /** The US Core 6.1.0 profiles for a resource type (empty when US Core has none). */
    public List<String> profilesFor(String resourceType) {
        return profilesByType.getOrDefault(resourceType, List.of());
    }

    public Map<String, List<String>> profilesByType() {
        return profilesByType;
    }

    /** The validator module itself, for HAPI's own users of one ($validate in the JPA DAOs). */
    public PooledInstanceValidator module() {
        return module;
    }

    public FhirContext fhirContext() {
        return ctx;
    }
}
