package io.carebus.x12.validate;

import java.util.List;

import io.carebus.x12.read.X12Segment;

/**
 * SNIP 3 balancing of one transaction set. Imbalances are reported on the total's segment as X12 5010 999 IK304 8
 * with IK403 I12 (implementation pattern match failure) on the total element.
 */
abstract sealed class BalancingCheck permits BalancingCheck.ClaimBalance, BalancingCheck.PaymentBalance {

    abstract void segment(X12Segment segment, String loopId, List<SegmentError> errors);

    abstract void finish(List<SegmentError> errors);

    static BalancingCheck forTransactionSet(String transactionSet) {
        return switch (transactionSet) {
            case "837" -> new ClaimBalance();
            case "835" -> new PaymentBalance();
            default -> null;
        };
    }

    /** 837 2300 CLM02 total claim charge = sum of 2400 SV102 (837P), SV203 (837I), SV302 (837D). */
    static final class ClaimBalance extends BalancingCheck {
        private int claimPosition = -1;
        private long claimTotal;
        private long lineSum;
        private String claimId;

        @Override
        void segment(X12Segment s, String loopId, List<SegmentError> errors) {
            String id = s.id();
            switch (id) {
                case "CLM" -> {
                    finish(errors);
                    claimPosition = s.positionInTransaction();
                    claimTotal = Amounts.cents(s.buffer(), s.start(2), s.end(2));
                    claimId = s.element(1);
                    lineSum = 0;
                }
                case "SV1", "SV3" -> add(s, 2);
                case "SV2" -> add(s, 3);
                case "HL" -> finish(errors);
                default -> {
                }
            }
        }

        private void add(X12Segment s, int element) {
            if (claimPosition > 0 && s.elementCount() >= element) {
                long amount = Amounts.cents(s.buffer(), s.start(element), s.end(element));
                if (amount != Long.MIN_VALUE) {
                    lineSum += amount;
                }
            }
        }

        @Override
        void finish(List<SegmentError> errors) {
            if (claimPosition > 0 && claimTotal != Long.MIN_VALUE && claimTotal != lineSum) {
                errors.add(new SegmentError("CLM", claimPosition, "2300", "8",
                        List.of(new ElementError(2, 0, 0, "782", "I12", Amounts.format(claimTotal))),
                        "CLM01:" + claimId, "CLM02 " + Amounts.format(claimTotal)
                        + " is not the sum of the service line charges " + Amounts.format(lineSum)));
            }
            claimPosition = -1;
        }
    }

    /** 835 BPR02 total payment = sum of 2100 CLP04 minus the PLB provider adjustments (PLB04, 06, ... 14). */
    static final class PaymentBalance extends BalancingCheck {
        private int bprPosition = -1;
        private long total;
        private long claims;
        private long adjustments;

        @Override
        void segment(X12Segment s, String loopId, List<SegmentError> errors) {
            switch (s.id()) {
                case "BPR" -> {
                    bprPosition = s.positionInTransaction();
                    total = Amounts.cents(s.buffer(), s.start(2), s.end(2));
                }
                case "CLP" -> claims += amount(s, 4);
                case "PLB" -> {
                    for (int e = 4; e <= 14; e += 2) {
                        adjustments += amount(s, e);
                    }
                }
                default -> {
                }
            }
        }

        private static long amount(X12Segment s, int element) {
            if (s.elementCount() < element) {
                return 0;
            }
            long cents = Amounts.cents(s.buffer(), s.start(element), s.end(element));
            return cents == Long.MIN_VALUE ? 0 : cents;
        }

        @Override
        void finish(List<SegmentError> errors) {
            long expected = claims - adjustments;
            if (bprPosition > 0 && total != Long.MIN_VALUE && total != expected) {
                errors.add(new SegmentError("BPR", bprPosition, null, "8",
                        List.of(new ElementError(2, 0, 0, "782", "I12", Amounts.format(total))), null,
                        "BPR02 " + Amounts.format(total) + " is not CLP04 total minus PLB adjustments "
                                + Amounts.format(expected)));
            }
        }
    }
}
