package io.carebus.x12.validate;

import java.nio.charset.StandardCharsets;
import java.util.List;

import io.carebus.x12.read.X12Segment;
import io.carebus.x12.schema.DataType;
import io.carebus.x12.schema.ElementDef;
import io.carebus.x12.schema.SegmentDef;
import io.carebus.x12.schema.SyntaxRule;
import io.carebus.x12.schema.Usage;

/**
 * SNIP 1 and 2 checks of one segment's data elements against its implementation-guide definition: presence (usage),
 * X12 syntax notes, type, length and code values, for simple, composite and repeating elements. Works on the
 * reader's bytes without copying them.
 */
final class ElementChecker {

    private ElementChecker() {
    }

    static void check(X12Segment segment, SegmentDef def, List<ElementError> errors) {
        byte[] b = segment.buffer();
        List<ElementDef> defs = def.elements();
        int present = segment.elementCount();
        char component = segment.delimiters().component();
        char repetition = segment.delimiters().repetition();
        for (int i = 1; i <= present; i++) {
            int start = segment.start(i);
            int end = segment.end(i);
            if (i > defs.size()) {
                if (end > start) {
                    // X12 5010 999 IK403 3: too many data elements
                    errors.add(new ElementError(i, 0, 0, "", "3", text(b, start, end)));
                    return;
                }
                continue;
            }
            ElementDef ed = defs.get(i - 1);
            if (ed == null) {
                continue;
            }
            if (start == end) {
                if (ed.usage() == Usage.REQUIRED) {
                    errors.add(new ElementError(i, 0, 0, ed.dataElement(), "1", null));
                }
                continue;
            }
            if (ed.usage() == Usage.NOT_USED) {
                errors.add(new ElementError(i, 0, 0, ed.dataElement(), "I10", text(b, start, end)));
                continue;
            }
            if (ed.composite()) {
                checkComposite(b, start, end, (byte) component, i, 0, ed, errors);
            } else if (ed.repeat() > 1) {
                int repetitions = 0;
                int from = start;
                for (int p = start; p <= end; p++) {
                    if (p == end || b[p] == (byte) repetition) {
                        repetitions++;
                        if (repetitions > ed.repeat()) {
                            errors.add(new ElementError(i, 0, repetitions, ed.dataElement(), "12", null));
                            break;
                        }
                        if (p > from) {
                            checkSimple(b, from, p, i, 0, repetitions, ed, errors);
                        }
                        from = p + 1;
                    }
                }
            } else {
                checkSimple(b, start, end, i, 0, 0, ed, errors);
            }
        }
        for (int i = present + 1; i <= defs.size(); i++) {
            ElementDef ed = defs.get(i - 1);
            if (ed != null && ed.usage() == Usage.REQUIRED) {
                errors.add(new ElementError(i, 0, 0, ed.dataElement(), "1", null));
            }
        }
        for (SyntaxRule rule : def.syntax()) {
            checkSyntax(segment, rule, defs, errors);
        }
        checkQualifiedDates(segment, defs, errors);
    }

    /**
     * A date/time period (data element 1251) follows its format qualifier (1250): D8 is CCYYMMDD, RD8
     * CCYYMMDD-CCYYMMDD (DTP02/DTP03, DMG01/DMG02). A bad date is X12 5010 999 IK403 8.
     */
    private static void checkQualifiedDates(X12Segment s, List<ElementDef> defs, List<ElementError> errors) {
        for (int i = 1; i < defs.size() && i < s.elementCount(); i++) {
            ElementDef qualifier = defs.get(i - 1);
            ElementDef value = defs.get(i);
            if (qualifier == null || value == null || !"1250".equals(qualifier.dataElement())
                    || !"1251".equals(value.dataElement()) || s.isEmpty(i + 1)) {
                continue;
            }
            byte[] b = s.buffer();
            int start = s.start(i + 1);
            int end = s.end(i + 1);
            boolean valid;
            if (s.elementEquals(i, "D8")) {
                valid = end - start == 8 && validDate(b, start, end);
            } else if (s.elementEquals(i, "RD8")) {
                valid = end - start == 17 && b[start + 8] == '-' && validDate(b, start, start + 8)
                        && validDate(b, start + 9, end);
            } else {
                continue;
            }
            if (!valid) {
                errors.add(new ElementError(i + 1, 0, 0, "1251", "8", text(b, start, end)));
            }
        }
    }

    private static void checkComposite(byte[] b, int start, int end, byte separator, int position, int repetition,
                                       ElementDef ed, List<ElementError> errors) {
        List<ElementDef> parts = ed.components();
        int index = 0;
        int from = start;
        for (int p = start; p <= end; p++) {
            if (p == end || b[p] == separator) {
                index++;
                if (index > parts.size()) {
                    if (!parts.isEmpty() && p > from) {
                        errors.add(new ElementError(position, index, repetition, ed.dataElement(), "13",
                                text(b, from, p)));
                    }
                } else {
                    ElementDef part = parts.get(index - 1);
                    if (part != null) {
                        if (p == from) {
                            if (part.usage() == Usage.REQUIRED) {
                                errors.add(new ElementError(position, index, repetition, part.dataElement(), "1",
                                        null));
                            }
                        } else if (part.usage() == Usage.NOT_USED) {
                            errors.add(new ElementError(position, index, repetition, part.dataElement(), "I10",
                                    text(b, from, p)));
                        } else {
                            checkSimple(b, from, p, position, index, repetition, part, errors);
                        }
                    }
                }
                from = p + 1;
            }
        }
        for (int c = index + 1; c <= parts.size(); c++) {
            ElementDef part = parts.get(c - 1);
            if (part != null && part.usage() == Usage.REQUIRED) {
                errors.add(new ElementError(position, c, repetition, part.dataElement(), "1", null));
            }
        }
    }

    /** Type, length and code of one simple value. */
    static void checkSimple(byte[] b, int start, int end, int position, int component, int repetition,
                            ElementDef ed, List<ElementError> errors) {
        DataType type = ed.type();
        int length = end - start;
        if (type.numeric()) {
            int digits = 0;
            boolean valid = true;
            boolean point = false;
            for (int p = start; p < end; p++) {
                byte c = b[p];
                if (c >= '0' && c <= '9') {
                    digits++;
                } else if (c == '-' && p == start) {
                    continue;
                } else if (c == '.' && type == DataType.R && !point) {
                    point = true;
                } else {
                    valid = false;
                }
            }
            if (!valid || digits == 0) {
                errors.add(new ElementError(position, component, repetition, ed.dataElement(), "6",
                        text(b, start, end)));
                return;
            }
            length = digits;
        } else if (type == DataType.DT) {
            if (!validDate(b, start, end)) {
                errors.add(new ElementError(position, component, repetition, ed.dataElement(), "8",
                        text(b, start, end)));
                return;
            }
        } else if (type == DataType.TM) {
            if (!validTime(b, start, end)) {
                errors.add(new ElementError(position, component, repetition, ed.dataElement(), "9",
                        text(b, start, end)));
                return;
            }
        } else {
            for (int p = start; p < end; p++) {
                int c = b[p] & 0xff;
                if (c < 0x20 || c == 0x7f) {
                    errors.add(new ElementError(position, component, repetition, ed.dataElement(), "6",
                            text(b, start, end)));
                    return;
                }
            }
        }
        if (length < ed.minLength()) {
            errors.add(new ElementError(position, component, repetition, ed.dataElement(), "4", text(b, start, end)));
            return;
        }
        if (length > ed.maxLength()) {
            errors.add(new ElementError(position, component, repetition, ed.dataElement(), "5", text(b, start, end)));
            return;
        }
        if (!ed.codes().isEmpty() && !ed.codes().contains(text(b, start, end))) {
            errors.add(new ElementError(position, component, repetition, ed.dataElement(), "7", text(b, start, end)));
        }
    }

    /** X12 DT: CCYYMMDD (or YYMMDD in ISA09). */
    static boolean validDate(byte[] b, int start, int end) {
        int length = end - start;
        if (length != 8 && length != 6) {
            return false;
        }
        for (int p = start; p < end; p++) {
            if (b[p] < '0' || b[p] > '9') {
                return false;
            }
        }
        int yearDigits = length - 4;
        int year = number(b, start, start + yearDigits);
        int month = number(b, start + yearDigits, start + yearDigits + 2);
        int day = number(b, start + yearDigits + 2, end);
        if (length == 6) {
            year += 2000;
        }
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= java.time.YearMonth.of(year, month).lengthOfMonth();
    }

    /** X12 TM: HHMM, HHMMSS, HHMMSSd or HHMMSSdd. */
    static boolean validTime(byte[] b, int start, int end) {
        int length = end - start;
        if (length != 4 && length != 6 && length != 7 && length != 8) {
            return false;
        }
        for (int p = start; p < end; p++) {
            if (b[p] < '0' || b[p] > '9') {
                return false;
            }
        }
        int hours = number(b, start, start + 2);
        int minutes = number(b, start + 2, start + 4);
        int seconds = length >= 6 ? number(b, start + 4, start + 6) : 0;
        return hours <= 23 && minutes <= 59 && seconds <= 59;
    }

    private static int number(byte[] b, int start, int end) {
        int n = 0;
        for (int p = start; p < end; p++) {
            n = n * 10 + (b[p] - '0');
        }
        return n;
    }

    /** X12.6 syntax notes; a missing element is X12 5010 IK403 2, an exclusion violation IK403 10. */
    private static void checkSyntax(X12Segment s, SyntaxRule rule, List<ElementDef> defs, List<ElementError> errors) {
        int[] p = rule.positions();
        switch (rule.kind()) {
            case 'P' -> {
                int present = 0;
                for (int pos : p) {
                    present += s.isEmpty(pos) ? 0 : 1;
                }
                if (present > 0 && present < p.length) {
                    for (int pos : p) {
                        if (s.isEmpty(pos)) {
                            errors.add(new ElementError(pos, 0, 0, dataElement(defs, pos), "2", null));
                        }
                    }
                }
            }
            case 'R' -> {
                boolean any = false;
                for (int pos : p) {
                    any |= !s.isEmpty(pos);
                }
                if (!any) {
                    errors.add(new ElementError(p[0], 0, 0, dataElement(defs, p[0]), "2", null));
                }
            }
            case 'E' -> {
                boolean seen = false;
                for (int pos : p) {
                    if (!s.isEmpty(pos)) {
                        if (seen) {
                            errors.add(new ElementError(pos, 0, 0, dataElement(defs, pos), "10", s.element(pos)));
                        }
                        seen = true;
                    }
                }
            }
            case 'C' -> {
                if (!s.isEmpty(p[0])) {
                    for (int i = 1; i < p.length; i++) {
                        if (s.isEmpty(p[i])) {
                            errors.add(new ElementError(p[i], 0, 0, dataElement(defs, p[i]), "2", null));
                        }
                    }
                }
            }
            case 'L' -> {
                if (!s.isEmpty(p[0])) {
                    boolean any = false;
                    for (int i = 1; i < p.length; i++) {
                        any |= !s.isEmpty(p[i]);
                    }
                    if (!any) {
                        errors.add(new ElementError(p[1], 0, 0, dataElement(defs, p[1]), "2", null));
                    }
                }
            }
            default -> {
            }
        }
    }

    private static String dataElement(List<ElementDef> defs, int position) {
        ElementDef ed = position <= defs.size() ? defs.get(position - 1) : null;
        return ed == null ? "" : ed.dataElement();
    }

    static String text(byte[] b, int start, int end) {
        return new String(b, start, end - start, StandardCharsets.ISO_8859_1);
    }
}
