package io.carebus.x12.validate;

import java.util.List;

/**
 * The outcome for one transaction set, as X12 5010 999 AK2 / IK5 reports it.
 *
 * @param ackCode     IK501: A accepted, E accepted with errors noted, R rejected
 * @param syntaxCodes IK502..IK506: 1 not supported, 2 trailer missing, 3 control number mismatch, 4 segment count
 *                    wrong, 5 one or more segments in error, I5 implementation one or more segments in error
 * @param schema      the implementation-guide schema it was checked against, null when none applies
 */
public record TransactionResult(String transactionSet, String controlNumber, String implementationReference,
                                String schema, int segmentCount, String ackCode, List<String> syntaxCodes,
                                List<SegmentError> errors) {

    public boolean accepted() {
        return !"R".equals(ackCode);
    }
}
