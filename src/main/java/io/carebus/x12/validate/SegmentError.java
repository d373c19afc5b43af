package io.carebus.x12.validate;

import java.util.List;

/**
 * One segment error, as X12 5010 999 IK3 reports it, with its element errors (IK4).
 *
 * @param segmentId IK301 segment id code
 * @param position  IK302 segment position in the transaction set (ST = 1)
 * @param loopId    IK303 loop identifier code, null at the header level
 * @param code      IK304: 1 unrecognized segment id, 2 unexpected segment, 3 required segment missing, 4 loop occurs
 *                  over maximum times, 5 segment exceeds maximum use, 8 segment has data element errors,
 *                  I4 implementation "not used" segment present
 *                  I6 implementation dependent segment missing, I9 implementation dependent "not used" segment present
 * @param businessUnit 999 2100 CTX business unit identifier (e.g. {@code CLM01:<claim id>}), null when none
 * @param detail    a human-readable explanation (not sent in the 999)
 * @param trigger   999 2100 CTX segment context: the situational trigger when a situational requirement of the
 *                  implementation guide was the cause, null otherwise
 */
public record SegmentError(String segmentId, int position, String loopId, String code, List<ElementError> elements,
                           String businessUnit, String detail, SegmentContext trigger) {

    public SegmentError(String segmentId, int position, String loopId, String code, List<ElementError> elements,
                        String businessUnit, String detail) {
        this(segmentId, position, loopId, code, elements, businessUnit, detail, null);
    }
}
