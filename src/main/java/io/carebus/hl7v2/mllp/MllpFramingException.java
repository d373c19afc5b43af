package io.carebus.hl7v2.mllp;

import java.io.IOException;

/**
 * A sender broke the MLLP framing (HL7 v2.5.1 appendix C: {@code <VT> message <FS><CR>}) so that the connection
 * cannot go on: a frame cut off by a timeout or a closed connection, or a frame over the size limit. Carries what
 * was received, for the journal; its message never contains message content.
 */
public class MllpFramingException extends IOException {

    private final transient byte[] received;

    public MllpFramingException(String reason, byte[] received) {
        super(reason);
        this.received = received;
    }

    /** The bytes of the broken frame as far as they were received (up to the size limit). */
    public byte[] received() {
        return received;
    }
}
