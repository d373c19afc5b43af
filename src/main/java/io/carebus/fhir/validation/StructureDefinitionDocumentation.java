package io.carebus.fhir.validation;

import java.util.Collection;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.StructureDefinition;

/**
 * Drops the prose of StructureDefinitions held in memory for validation and FHIRPath: narrative, descriptions,
 * element definitions, comments, requirements and mappings. They are about half of the engine's resident heap (the
 * R4 core specification is held by HAPI JPA for FHIRPath, and again, converted to R5, by the instance validator),
 * and no validation rule reads them: the validator checks cardinality, types, bindings, fixed values, slicing and
 * the constraints' FHIRPath, and its messages quote the constraint's {@code human} text and the element path, both
 * kept. The profiles the server serves as resources come from its database, not from here.
 */
public final class StructureDefinitionDocumentation {

    private StructureDefinitionDocumentation() {
    }

    /** Strips the given (cached, shared) StructureDefinitions in place; returns how many were R4 definitions. */
    public static int strip(Collection<? extends IBaseResource> definitions) {
        int n = 0;
        for (IBaseResource resource : definitions) {
            if (resource instanceof StructureDefinition sd) {
                strip(sd);
                n++;
            }
        }
        return n;
    }

    static void strip(StructureDefinition sd) {
        sd.setText(null);
        sd.setDescription(null);
        sd.setPurpose(null);
        sd.setCopyright(null);
        sd.getMapping().clear();
        sd.getContact().clear();
        if (sd.hasSnapshot()) {
            sd.getSnapshot().getElement().forEach(StructureDefinitionDocumentation::strip);
        }
        if (sd.hasDifferential()) {
            sd.getDifferential().getElement().forEach(StructureDefinitionDocumentation::strip);
        }
    }

    private static void strip(ElementDefinition element) {
        element.setDefinition(null);
        element.setComment(null);
        element.setRequirements(null);
        element.setMeaningWhenMissing(null);
        element.getMapping().clear();
        element.getAlias().clear();
        element.getExample().clear();
        if (element.hasBinding()) {
            element.getBinding().setDescription(null);
        }
        element.getConstraint().forEach(c -> c.setRequirements(null));
    }
}
