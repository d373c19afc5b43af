package io.carebus.conversion.mapping;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * HL7 v2 DTM/TS (YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]) to FHIR date, dateTime and instant text. The
 * precision sent is kept (FHIR needs seconds once there is a time, so HHMM gains ":00"); a time without an
 * offset takes the configured zone's offset at that moment.
 */
public final class Hl7Timestamps {

    private Hl7Timestamps() {
    }

    /** FHIR date (YYYY, YYYY-MM or YYYY-MM-DD); null when not a timestamp. */
    public static String toDate(String dtm) {
        String digits = datePart(dtm);
        if (digits == null) {
            return null;
        }
        return switch (Math.min(digits.length(), 8)) {
            case 4 -> digits;
            case 6 -> digits.substring(0, 4) + "-" + digits.substring(4, 6);
            case 8 -> digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8);
            default -> null;
        };
    }

    /** FHIR dateTime; null when not a timestamp. */
    public static String toDateTime(String dtm, ZoneId zone) {
        return convert(dtm, zone, false);
    }

    /** FHIR instant (always to the second, with an offset); null when the value has no time. */
    public static String toInstant(String dtm, ZoneId zone) {
        return convert(dtm, zone, true);
    }

    private static String datePart(String dtm) {
        String s = dtm.trim();
        int end = 0;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        String digits = s.substring(0, end);
        if (digits.length() < 4 || digits.length() % 2 != 0 || digits.length() > 14) {
            return null;
        }
        if (digits.length() >= 6) {
            int month = Integer.parseInt(digits.substring(4, 6));
            if (month < 1 || month > 12) {
                return null;
            }
        }
        if (digits.length() >= 8) {
            int day = Integer.parseInt(digits.substring(6, 8));
            if (day < 1 || day > 31) {
                return null;
            }
        }
        return digits;
    }

    private static String convert(String dtm, ZoneId zone, boolean instant) {
        String s = dtm.trim();
        String digits = datePart(s);
        if (digits == null) {
            return null;
        }
        int i = digits.length();
        String fraction = "";
        if (i < s.length() && s.charAt(i) == '.' && digits.length() == 14) {
            int f = i + 1;
            while (f < s.length() && Character.isDigit(s.charAt(f))) {
                f++;
            }
            fraction = s.substring(i, f);
            i = f;
        }
        String offset = null;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            String z = s.substring(i + 1);
            if (z.length() >= 4 && isDigits(z.substring(0, 4))) {
                int hours = Integer.parseInt(z.substring(0, 2));
                int minutes = Integer.parseInt(z.substring(2, 4));
                if (hours > 14 || minutes > 59) {
                    return null;    // not an offset: the timestamp is unreadable
                }
                offset = s.charAt(i) + z.substring(0, 2) + ":" + z.substring(2, 4);
            }
        }
        if (digits.length() <= 8) {
            return instant ? null : toDate(digits);
        }
        int hour = Integer.parseInt(digits.substring(8, 10));
        int minute = digits.length() >= 12 ? Integer.parseInt(digits.substring(10, 12)) : 0;
        int second = digits.length() >= 14 ? Integer.parseInt(digits.substring(12, 14)) : 0;
        if (hour > 23 || minute > 59 || second > 59) {
            return null;
        }
        if (offset == null) {
            try {
                LocalDateTime local = LocalDateTime.of(Integer.parseInt(digits.substring(0, 4)),
                        Integer.parseInt(digits.substring(4, 6)), Integer.parseInt(digits.substring(6, 8)), hour,
                        minute, second);
                ZoneOffset o = zone.getRules().getOffset(local);
                offset = o.getTotalSeconds() == 0 ? "Z" : o.getId();
            } catch (java.time.DateTimeException e) {
                return null;
            }
        }
        return digits.substring(0, 4) + "-" + digits.substring(4, 6) + "-" + digits.substring(6, 8) + "T"
                + two(hour) + ":" + two(minute) + ":" + two(second) + fraction + offset;
    }

    private static boolean isDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static String two(int n) {
        return n < 10 ? "0" + n : String.valueOf(n);
    }

    /** FHIR dateTime/date back to an HL7 DTM, keeping the precision and the offset. */
    public static String toHl7(String fhir) {
        if (fhir == null || fhir.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(24);
        int t = fhir.indexOf('T');
        String date = t < 0 ? fhir : fhir.substring(0, t);
        out.append(date.replace("-", ""));
        if (t > 0) {
            String time = fhir.substring(t + 1);
            int zoneAt = Math.max(time.indexOf('+'), Math.max(time.indexOf('-'), time.indexOf('Z')));
            String clock = zoneAt < 0 ? time : time.substring(0, zoneAt);
            out.append(clock.replace(":", ""));
            if (zoneAt >= 0) {
                String z = time.substring(zoneAt);
                out.append("Z".equals(z) ? "+0000" : z.replace(":", ""));
            }
        }
        return out.toString();
    }
}
