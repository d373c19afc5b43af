package io.carebus.x12.validate;

import java.util.List;

/**
 * The outcome for one functional group, as X12 5010 999 AK1 / AK9 reports it.
 *
 * @param ackCode   AK901: A accepted, E accepted with errors, P partially accepted, R rejected
 * @param codes     AK905..AK909: 1 functional group not supported, 2 version not supported, 3 trailer missing,
 *                  4 GS06/GE02 mismatch, 5 number of included transaction sets does not match
 * @param transactions per transaction results (empty when the validator was told not to keep them)
 */
public record GroupResult(String functionalId, String controlNumber, String version, String senderCode,
                          String receiverCode, int declaredCount, int received, int accepted, String ackCode,
                          List<String> codes, List<TransactionResult> transactions) {
}
