package io.carebus.x12.fhir;

import io.carebus.x12.X12Exception;

/** A transaction set or a FHIR resource cannot be mapped (missing data the mapping needs, unsupported set). */
public class X12FhirException extends X12Exception {
    public X12FhirException(String message) {
        super(message);
    }
}
