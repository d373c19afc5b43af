package io.carebus.x12.intake;

/** Carebus itself in the envelopes it writes: ISA05/ISA06 and GS02, and ISA15 (P production, T test). */
public record X12Identity(String isaQualifier, String isaId, String gsId, boolean production) {
}
