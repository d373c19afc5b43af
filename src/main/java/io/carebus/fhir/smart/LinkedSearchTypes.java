package io.carebus.fhir.smart;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.RuntimeSearchParam;
import ca.uhn.fhir.context.RuntimeResourceDefinition;

/**
 * The resource types a search looks into besides its own: the targets of chained parameters
 * ({@code subject:Patient.name}, {@code subject.organization.name}: FHIR R4 search.html#chaining) and the types of
 * reverse chains ({@code _has:Observation:subject:code}: search.html#has). A search of one type finds its resources
 * by the content of these, so it tells something of them. {@code *} for a link whose target cannot be told (an
 * unknown parameter, one without declared targets).
 */
final class LinkedSearchTypes {

    private LinkedSearchTypes() {
    }

    static Set<String> of(FhirContext fhirContext, String type, Collection<String> parameterNames) {
        Set<String> types = new TreeSet<>();
        for (String name : parameterNames) {
            collect(fhirContext, type, name, types);
        }
        return types;
    }

    /** The parameter names of a query string ({@code a=1&b:exact=2}). */
    static List<String> parameterNames(String query) {
        return query.isEmpty() ? List.of() : java.util.Arrays.stream(query.split("&"))
                .map(pair -> pair.indexOf('=') < 0 ? pair : pair.substring(0, pair.indexOf('=')))
                .map(name -> URLDecoder.decode(name, StandardCharsets.UTF_8))
                .filter(name -> !name.isEmpty())
                .toList();
    }

    private static void collect(FhirContext fhirContext, String type, String name, Set<String> types) {
        if (name.startsWith("_has:")) {
            // _has:<type>:<reference parameter of that type>:<parameter of that type, possibly _has or chained>
            String[] parts = name.split(":", 4);
            if (parts.length == 4) {
                types.add(parts[1]);
                collect(fhirContext, parts[1], parts[3], types);
            } else {
                types.add(SmartScope.ANY_TYPE);   // malformed: HAPI refuses it, but never on the scopes' account
            }
            return;
        }
        int dot = name.indexOf('.');
        if (dot < 0 || name.startsWith("_")) {
            return;
        }
        String link = name.substring(0, dot);
        String rest = name.substring(dot + 1);
        int colon = link.indexOf(':');
        Collection<String> targets = colon >= 0 ? List.of(link.substring(colon + 1))
                : targets(fhirContext, type, link);
        for (String target : targets) {
            types.add(target);
            if (!SmartScope.ANY_TYPE.equals(target)) {
                collect(fhirContext, target, rest, types);
            }
        }
    }

    private static Collection<String> targets(FhirContext fhirContext, String type, String parameter) {
        RuntimeResourceDefinition definition;
        try {
            definition = fhirContext.getResourceDefinition(type);
        } catch (RuntimeException unknownType) {
            return List.of(SmartScope.ANY_TYPE);
        }
        RuntimeSearchParam searchParam = definition.getSearchParam(parameter);
        return searchParam == null || !searchParam.hasTargets() ? List.of(SmartScope.ANY_TYPE)
                : searchParam.getTargets();
    }
}
