package io.carebus.x12.tree;

import java.util.ArrayList;
import java.util.List;

import io.carebus.x12.read.X12Segment;

/**
 * Splits an 837 transaction set into one transaction set per claim (2300), each with what the claim needs around it:
 * the header (BHT, 1000A submitter, 1000B receiver), its billing provider (2000A with 2010AA..), its subscriber
 * (2000B with 2010BA/BB) and, for a dependent, its patient (2000C with 2010CA). SE01 is counted again, and the HLs
 * are numbered again from 1 (TR3: HL01 begins with 1 and is incremented by one), HL02 following.
 */
public final class ClaimSplitter {

    private ClaimSplitter() {
    }

    /** One ST..SE text per claim, in the order of the claims, with the input's delimiters. */
    public static List<String> split(X12Transaction t) {
        List<String> out = new ArrayList<>();
        List<X12Loop> claims = t.root().descendants("2300");
        char terminator = t.isa().delimiters().segment();
        char separator = t.isa().delimiters().element();
        for (X12Loop claim : claims) {
            List<X12Segment> segments = new ArrayList<>();
            collect(t.root(), claim, segments);
            StringBuilder sb = new StringBuilder();
            X12Segment st = segments.get(0);
            java.util.Map<String, String> hlNumbers = new java.util.HashMap<>();
            for (X12Segment s : segments) {
                if (s.id().equals("SE")) {
                    continue;
                }
                if (s.id().equals("HL")) {
                    sb.append(renumbered(s, hlNumbers, separator)).append(terminator);
                } else {
                    sb.append(s).append(terminator);
                }
            }
            int count = (int) segments.stream().filter(s -> !s.id().equals("SE")).count() + 1;
            sb.append("SE").append(separator).append(count).append(separator).append(st.element(2))
                    .append(terminator);
            out.add(sb.toString());
        }
        return out;
    }

    /** The HL with its HL01 the next number of the part and HL02 its parent's new number. */
    private static String renumbered(X12Segment hl, java.util.Map<String, String> numbers, char separator) {
        String[] elements = hl.toArray();
        String number = String.valueOf(numbers.size() + 1);
        numbers.put(elements[1], number);
        elements[1] = number;
        if (elements.length > 2 && !elements[2].isEmpty()) {
            elements[2] = numbers.getOrDefault(elements[2], elements[2]);
        }
        return String.join(String.valueOf(separator), elements);
    }

    /** The segments of {@code loop} that belong with {@code claim}: everything except other claims and branches. */
    private static void collect(X12Loop loop, X12Loop claim, List<X12Segment> out) {
        for (Object child : loop.children()) {
            if (child instanceof X12Segment s) {
                out.add(s);
            } else {
                X12Loop l = (X12Loop) child;
                if (l == claim) {
                    out.addAll(l.allSegments());
                } else if (contains(l, claim)) {
                    collect(l, claim, out);
                } else if (!l.id().equals("2300") && l.descendants("2300").isEmpty()) {
                    out.addAll(l.allSegments());
                }
            }
        }
    }

    private static boolean contains(X12Loop loop, X12Loop target) {
        for (Object child : loop.children()) {
            if (child == target || (child instanceof X12Loop l && contains(l, target))) {
                return true;
            }
        }
        return false;
    }
}
