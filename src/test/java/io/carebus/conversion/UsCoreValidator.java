package io.carebus.conversion;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.NpmPackageValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * HAPI's instance validator with FHIR R4 core and US Core 6.1.0 (the packaged copy of
 * hl7.fhir.us.core-6.1.0.tgz), offline: no terminology server, unknown code systems are warnings.
 * Expensive to build: one per test class.
 */
final class UsCoreValidator {

    private final FhirValidator validator;

    UsCoreValidator(FhirContext ctx) {
        try {
            NpmPackageValidationSupport usCore = new NpmPackageValidationSupport(ctx);
            usCore.loadPackageFromClasspath("classpath:fhir-packages/hl7.fhir.us.core-6.1.0.tgz");
            ValidationSupportChain chain = new ValidationSupportChain(
                    usCore,
                    vsacOmbCategories(ctx),
                    new DefaultProfileValidationSupport(ctx),
                    new CommonCodeSystemsTerminologyService(ctx),
                    new InMemoryTerminologyServerValidationSupport(ctx),
                    new SnapshotGeneratingValidationSupport(ctx));
            FhirInstanceValidator module = new FhirInstanceValidator(chain);
            module.setAnyExtensionsAllowed(true);
            module.setNoTerminologyChecks(false);
            module.setErrorForUnknownProfiles(true);
            validator = ctx.newValidator().registerValidatorModule(module);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * US Core binds the race and ethnicity categories to VSAC value sets (package us.nlm.vsac), which are not
     * available offline: the OMB categories and null flavours they hold, as published, stand in for them.
     */
    private static PrePopulatedValidationSupport vsacOmbCategories(FhirContext ctx) {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(ctx);
        String cdcrec = "urn:oid:2.16.840.1.113883.6.238";
        CodeSystem cs = new CodeSystem().setUrl(cdcrec).setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setContent(CodeSystem.CodeSystemContentMode.FRAGMENT).setName("CDCREC");
        String[][] race = {{"1002-5", "American Indian or Alaska Native"}, {"2028-9", "Asian"},
                {"2054-5", "Black or African American"}, {"2076-8", "Native Hawaiian or Other Pacific Islander"},
                {"2106-3", "White"}};
        String[][] ethnicity = {{"2135-2", "Hispanic or Latino"}, {"2186-5", "Not Hispanic or Latino"}};
        ValueSet raceVs = valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.836", cdcrec, race);
        ValueSet ethVs = valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.837", cdcrec, ethnicity);
        for (String[] c : race) {
            cs.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        for (String[] c : ethnicity) {
            cs.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        ValueSet nullFlavors = valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1021.102",
                "http://terminology.hl7.org/CodeSystem/v3-NullFlavor", new String[][] {{"UNK", "unknown"},
                        {"ASKU", "asked but unknown"}});
        support.addCodeSystem(cs);
        support.addValueSet(raceVs);
        support.addValueSet(ethVs);
        support.addValueSet(nullFlavors);
        return support;
    }

    private static ValueSet valueSet(String url, String system, String[][] codes) {
        ValueSet vs = new ValueSet().setUrl(url).setStatus(Enumerations.PublicationStatus.ACTIVE);
        var include = vs.getCompose().addInclude().setSystem(system);
        for (String[] c : codes) {
            include.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        return vs;
    }

    /** The ERROR and FATAL messages for a resource. */
    List<SingleValidationMessage> errors(IBaseResource resource) {
        ValidationResult result = validator.validateWithResult(resource);
        return result.getMessages().stream()
                .filter(m -> m.getSeverity() == ResultSeverityEnum.ERROR || m.getSeverity() == ResultSeverityEnum.FATAL)
                .toList();
    }

    static String describe(List<SingleValidationMessage> messages) {
        StringBuilder out = new StringBuilder();
        for (SingleValidationMessage m : messages) {
            out.append("\n  ").append(m.getLocationString()).append(": ").append(m.getMessage());
        }
        return out.toString();
    }
}
