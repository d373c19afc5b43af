package io.carebus.fhir.validation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.ValueSet;

/**
 * The VSAC value sets US Core 6.1.0 binds race and ethnicity to (package us.nlm.vsac, not available offline): the
 * OMB categories and the null flavours they hold, as published, stand in for them.
 */
final class VsacOfflineValueSets {

    private VsacOfflineValueSets() {
    }

    static PrePopulatedValidationSupport create(FhirContext ctx) {
        PrePopulatedValidationSupport support = new PrePopulatedValidationSupport(ctx);
        String cdcrec = "urn:oid:2.16.840.1.113883.6.238";
        CodeSystem cs = new CodeSystem().setUrl(cdcrec).setStatus(Enumerations.PublicationStatus.ACTIVE)
                .setContent(CodeSystem.CodeSystemContentMode.FRAGMENT).setName("CDCREC");
        String[][] race = {{"1002-5", "American Indian or Alaska Native"}, {"2028-9", "Asian"},
                {"2054-5", "Black or African American"}, {"2076-8", "Native Hawaiian or Other Pacific Islander"},
                {"2106-3", "White"}};
        String[][] ethnicity = {{"2135-2", "Hispanic or Latino"}, {"2186-5", "Not Hispanic or Latino"}};
        for (String[] c : race) {
            cs.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        for (String[] c : ethnicity) {
            cs.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        support.addCodeSystem(cs);
        support.addValueSet(valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.836", cdcrec, race));
        support.addValueSet(valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.114222.4.11.837", cdcrec,
                ethnicity));
        support.addValueSet(valueSet("http://cts.nlm.nih.gov/fhir/ValueSet/2.16.840.1.113762.1.4.1021.102",
                "http://terminology.hl7.org/CodeSystem/v3-NullFlavor",
                new String[][] {{"UNK", "unknown"}, {"ASKU", "asked but unknown"}}));
        return support;
    }

    private static ValueSet valueSet(String url, String system, String[][] codes) {
        ValueSet vs = new ValueSet().setUrl(url).setStatus(Enumerations.PublicationStatus.ACTIVE);
        ValueSet.ConceptSetComponent include = vs.getCompose().addInclude().setSystem(system);
        for (String[] c : codes) {
            include.addConcept().setCode(c[0]).setDisplay(c[1]);
        }
        return vs;
    }
}
