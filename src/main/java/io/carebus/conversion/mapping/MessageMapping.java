package io.carebus.conversion.mapping;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Message → resources, compiled from {@code messages/*.yaml}: for each segment, the resource it becomes (and
 * the element of a parent resource that points to it), or the rules that fold it into the latest resource.
 */
public record MessageMapping(String name, Set<String> events, Map<String, SegmentEntry> segments) {

    /**
     * @param resources     the resources this segment becomes (OBR: ServiceRequest and DiagnosticReport)
     * @param parentSegment the segment whose latest resource points to this one (OBX → OBR)
     * @param parentElement the element of that resource that holds the reference (DiagnosticReport.result)
     * @param into          rules that fold this segment into an earlier resource (NTE → note), compiled per
     *                      resource type listed in {@code on}
     * @param intoTarget    the segment whose latest resource takes them (OBR → the ORC's ServiceRequest), or
     *                      null for the latest resource of any segment
     */
    public record SegmentEntry(String segment, List<ResourceMapping> resources, String parentSegment,
                               ElementPath parentElement, List<Map<String, Object>> into, String intoTarget) {
    }
}
