package io.carebus.conversion;

import java.util.List;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The conversion tests' view of the product's US Core 6.1.0 validator ({@link io.carebus.fhir.validation.UsCoreValidator},
 * the one the FHIR server validates writes with): the errors of a resource, and a readable list of them.
 * Expensive to build: one per test class.
 */
final class UsCoreValidator {

    private final io.carebus.fhir.validation.UsCoreValidator validator;

    UsCoreValidator(FhirContext ctx) {
        validator = new io.carebus.fhir.validation.UsCoreValidator(ctx);
    }

    /** The ERROR and FATAL messages for a resource. */
    List<SingleValidationMessage> errors(IBaseResource resource) {
        return validator.validate(resource, List.of()).getMessages().stream()
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
