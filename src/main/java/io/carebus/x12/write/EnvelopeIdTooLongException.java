package io.carebus.x12.write;

import io.carebus.x12.X12Exception;

/** An interchange sender or receiver id longer than ISA06 / ISA08 allow (15 characters). */
public class EnvelopeIdTooLongException extends X12Exception {
    public EnvelopeIdTooLongException(String message) {
        super(message);
    }
}
