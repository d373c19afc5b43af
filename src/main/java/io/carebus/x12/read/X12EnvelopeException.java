package io.carebus.x12.read;

import io.carebus.x12.X12Exception;

/**
 * The interchange cannot be read at all: no ISA, an ISA shorter than its fixed 106 characters, or delimiters that
 * cannot be told apart. Answered with a TA1 carrying {@link #noteCode()} (X12 5010 TA105).
 */
public class X12EnvelopeException extends X12Exception {
    private final String noteCode;

    public X12EnvelopeException(String noteCode, String message) {
        super(message);
        this.noteCode = noteCode;
    }

    /** X12 5010 TA105 interchange note code, e.g. 022 invalid control structure, 026 invalid element separator. */
    public String noteCode() {
        return noteCode;
    }
}
