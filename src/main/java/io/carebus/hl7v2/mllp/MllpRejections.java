package io.carebus.hl7v2.mllp;

/**
 * Where the listener hands what it received but could not take as a message (bad framing), so that nothing a
 * sender sent vanishes. Implementations journal the bytes; they must not log them.
 */
@FunctionalInterface
public interface MllpRejections {

    void rejected(String reason, byte[] received);
}
