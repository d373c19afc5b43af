package io.carebus.x12.validate;

import java.math.BigDecimal;

/** X12 R (decimal) amounts in cents, parsed without allocation for the common forms (-12, 12.5, 12.34). */
final class Amounts {

    private Amounts() {
    }

    /** Amount in cents, or {@code Long.MIN_VALUE} when the text is not a decimal number. */
    static long cents(byte[] b, int start, int end) {
        if (start >= end) {
            return 0;
        }
        boolean negative = b[start] == '-';
        int p = negative ? start + 1 : start;
        long whole = 0;
        int fraction = 0;
        int fractionDigits = 0;
        boolean point = false;
        for (; p < end; p++) {
            byte c = b[p];
            if (c == '.' && !point) {
                point = true;
            } else if (c >= '0' && c <= '9') {
                if (!point) {
                    whole = whole * 10 + (c - '0');
                } else if (fractionDigits < 2) {
                    fraction = fraction * 10 + (c - '0');
                    fractionDigits++;
                } else if (c != '0') {
                    return new BigDecimal(new String(b, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1))
                            .movePointRight(2).longValue();
                }
            } else {
                return Long.MIN_VALUE;
            }
        }
        if (fractionDigits == 1) {
            fraction *= 10;
        }
        long cents = whole * 100 + fraction;
        return negative ? -cents : cents;
    }

    static String format(long cents) {
        return BigDecimal.valueOf(cents, 2).toPlainString();
    }
}
