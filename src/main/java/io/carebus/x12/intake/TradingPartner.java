package io.carebus.x12.intake;

import io.carebus.x12.read.X12Delimiters;

/**
 * A trading partner as config/partners.yaml describes it: its interchange and application ids (ISA05/ISA06,
 * GS02/GS03) and the delimiters Carebus writes to it with.
 */
public record TradingPartner(String name, String isaQualifier, String isaId, String gsId,
                             X12Delimiters delimiters) {
}
