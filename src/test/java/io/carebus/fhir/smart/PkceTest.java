package io.carebus.fhir.smart;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PkceTest {

    // RFC 7636 Appendix B
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void rfc7636AppendixBExample() {
        assertThat(AuthorizationCodes.verifierMatches(VERIFIER, CHALLENGE)).isTrue();
    }

    @Test
    void wrongOrMalformedVerifierFails() {
        assertThat(AuthorizationCodes.verifierMatches(VERIFIER.replace('d', 'e'), CHALLENGE)).isFalse();
        assertThat(AuthorizationCodes.verifierMatches("short", CHALLENGE)).isFalse();
        assertThat(AuthorizationCodes.verifierMatches(null, CHALLENGE)).isFalse();
        // "plain": the challenge itself as verifier
        assertThat(AuthorizationCodes.verifierMatches(CHALLENGE, CHALLENGE)).isFalse();
    }
}
