package io.carebus.x12;

import org.hl7.fhir.r4.model.Bundle;

/** FHIR bundles the writer tests build, for other tests. */
public final class X12WriterTestBundles {

    private X12WriterTestBundles() {
    }

    /** A claim of the patient herself: two lines (100 + 40), two diagnoses, a rendering provider. */
    public static Bundle claim() {
        return X12WriterTest.claimBundle("self");
    }
}
