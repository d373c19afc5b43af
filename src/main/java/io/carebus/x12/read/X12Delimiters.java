package io.carebus.x12.read;

/**
 * The four delimiters of an interchange, read from its ISA: the element separator is ISA's 4th character, the
 * repetition separator ISA11, the component separator ISA16, the segment terminator the character after ISA16.
 */
public record X12Delimiters(char element, char repetition, char component, char segment) {

    /** The HIPAA-customary set: {@code * ^ : ~}. */
    public static final X12Delimiters DEFAULT = new X12Delimiters('*', '^', ':', '~');

    /** Fixed length of an ISA segment including its terminator (X12 5010 ISA). */
    public static final int ISA_LENGTH = 106;

    /**
     * Reads the delimiters from the first 106 bytes of an interchange (X12 5010 ISA: element separator at offset 3,
     * ISA11 at 82, ISA16 at 104, terminator at 105).
     */
    public static X12Delimiters fromIsa(byte[] isa, int offset, int length) {
        if (length < ISA_LENGTH || isa[offset] != 'I' || isa[offset + 1] != 'S' || isa[offset + 2] != 'A') {
            throw new X12EnvelopeException("022", "The interchange does not start with a 106-character ISA segment");
        }
        char element = (char) (isa[offset + 3] & 0xff);
        int separators = 0;
        for (int i = offset; i < offset + 105; i++) {
            if (isa[i] == element) {
                separators++;
            }
        }
        if (separators != 16) {
            throw new X12EnvelopeException("026", "ISA has " + separators + " element separators, 16 expected");
        }
        char repetition = (char) (isa[offset + 82] & 0xff);
        char component = (char) (isa[offset + 104] & 0xff);
        char segment = (char) (isa[offset + 105] & 0xff);
        if (component == element || Character.isLetterOrDigit(component)) {
            throw new X12EnvelopeException("027", "Invalid component element separator in ISA16");
        }
        if (segment == element || segment == component || Character.isLetterOrDigit(segment)) {
            throw new X12EnvelopeException("004", "Invalid segment terminator after ISA16");
        }
        if (repetition == element || repetition == component || repetition == segment) {
            throw new X12EnvelopeException("026", "ISA11 repetition separator clashes with another delimiter");
        }
        return new X12Delimiters(element, repetition, component, segment);
    }
}
