package io.carebus.x12.validate;

/**
 * The situational trigger of an error, as the X12 5010 999 (005010X231A1) 2100 / 2110 CTX segment context reports
 * it: CTX01 {@code SITUATIONAL TRIGGER}, the segment that set the situational requirement off (CTX02 segment id,
 * CTX03 position in the transaction set, CTX04 loop id) and the element in it (CTX05 position, CTX06 reference).
 */
public record SegmentContext(String segmentId, int position, String loopId, int elementPosition,
                             String dataElement) {

    /** CTX01-1 for a segment context. */
    public static final String SITUATIONAL_TRIGGER = "SITUATIONAL TRIGGER";
}
