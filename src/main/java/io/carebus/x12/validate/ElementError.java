package io.carebus.x12.validate;

/**
 * One data element error, as X12 5010 999 IK4 reports it.
 *
 * @param position    IK401-1 element position in the segment
 * @param component   IK401-2 component position in a composite, 0 when not a composite
 * @param repetition  IK401-3 repetition number of a repeating element, 0 when not repeating
 * @param dataElement IK402 data element reference number
 * @param code        IK403: 1 required missing, 2 conditional required missing, 3 too many data elements, 4 too
 *                    short, 5 too long, 6 invalid character, 7 invalid code value, 8 invalid date, 9 invalid time,
 *                    10 exclusion condition violated, 12 too many repetitions, 13 too many components,
 *                    I10 implementation "not used" element present, I12 implementation pattern match failure
 * @param badValue    IK404 copy of the bad data element, null when the element is missing
 */
public record ElementError(int position, int component, int repetition, String dataElement, String code,
                           String badValue) {
}
