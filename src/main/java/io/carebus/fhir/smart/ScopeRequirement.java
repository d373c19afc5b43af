package io.carebus.fhir.smart;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.r4.model.Bundle;

/**
 * What one FHIR interaction asks of the caller's SMART scopes (SMART App Launch 2.x §Scopes): one of
 * {@code permissions} on each of {@code types} ({@code *} for every type), from a patient/ scope too when
 * {@code patientScopesCount} (the patient's compartment is then enforced by the authorization rules and search
 * narrowing), else only from a user/ or system/ scope, which reaches any instance.
 * <p>
 * c create, r read (read, vread, history of an instance), u update and patch, d delete, s search (and history of a
 * type or of the system). A PUT may create (update as create, conditional update without a match): it asks for u
 * or c here, and {@link SmartPermissionInterceptor} decides which when HAPI stores it.
 */
record ScopeRequirement(Set<Permission> permissions, List<String> types, boolean patientScopesCount) {

    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]+");

    /** A request made alone; empty for what the authorization rules decide alone (operations, metadata, paging). */
    static Optional<ScopeRequirement> of(RestOperationTypeEnum operation, String type, Map<String, String[]> params) {
        if (operation == RestOperationTypeEnum.SEARCH_SYSTEM || operation == RestOperationTypeEnum.HISTORY_SYSTEM) {
            return Optional.of(systemLevel(params.get("_type")));
        }
        if (type == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> new ScopeRequirement(EnumSet.of(Permission.READ), List.of(type), true);
            case SEARCH_TYPE -> new ScopeRequirement(EnumSet.of(Permission.SEARCH), List.of(type), true);
            // a history has no search parameters HAPI could narrow to the patient's compartment
            case HISTORY_TYPE -> new ScopeRequirement(EnumSet.of(Permission.SEARCH), List.of(type), false);
            case CREATE -> new ScopeRequirement(EnumSet.of(Permission.CREATE), List.of(type), true);
            case UPDATE -> new ScopeRequirement(EnumSet.of(Permission.UPDATE, Permission.CREATE), List.of(type), true);
            case PATCH -> new ScopeRequirement(EnumSet.of(Permission.UPDATE), List.of(type), true);
            case DELETE -> new ScopeRequirement(EnumSet.of(Permission.DELETE), List.of(type), true);
            default -> null;
        });
    }

    /**
     * One entry of a batch or transaction Bundle, from its {@code request.method} and {@code request.url}
     * (relative to {@code base}, or absolute under it). Empty for operations ({@code $name}) and the capability
     * statement, which the authorization rules decide; an entry whose resource type cannot be told is refused.
     */
    static Optional<ScopeRequirement> of(Bundle.BundleEntryComponent entry, String base) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String url = request.getUrl() == null ? "" : request.getUrl().trim();
        if (base != null && url.startsWith(base + "/")) {
            url = url.substring(base.length() + 1);
        }
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String query = q < 0 ? "" : url.substring(q + 1);
        String[] segments = path.isEmpty() ? new String[0] : path.split("/");
        if (request.getMethod() == null) {
            throw refused("an entry without a request method");
        }
        if (segments.length > 0 && (segments[segments.length - 1].startsWith("$") || segments[0].equals("metadata"))) {
            return Optional.empty();
        }
        if (segments.length == 0 || segments[0].equals("_history") || segments[0].equals("_search")) {
            if (request.getMethod() != Bundle.HTTPVerb.GET && request.getMethod() != Bundle.HTTPVerb.HEAD
                    && !(request.getMethod() == Bundle.HTTPVerb.POST && segments.length == 1
                    && segments[0].equals("_search"))) {
                throw refused("a " + request.getMethod() + " entry without a resource type");
            }
            return Optional.of(systemLevel(parameter(query, "_type")));
        }
        String type = segments[0];
        if (!RESOURCE_TYPE.matcher(type).matches()) {
            throw refused("an entry whose resource type cannot be told");
        }
        boolean instance = segments.length > 1 && !segments[1].startsWith("_");
        Set<Permission> permissions;
        boolean patientScopesCount = true;
        switch (request.getMethod()) {
            case GET, HEAD -> {
                if (instance) {
                    permissions = EnumSet.of(Permission.READ);   // read, vread, history of the instance
                } else {
                    // Type?params is narrowed to the patient's compartment like a search made alone; a type's
                    // history (Type/_history) cannot be
                    permissions = EnumSet.of(Permission.SEARCH);
                    patientScopesCount = segments.length == 1;
                }
            }
            case POST -> {
                boolean search = segments.length > 1 && segments[1].equals("_search");
                permissions = search ? EnumSet.of(Permission.SEARCH) : EnumSet.of(Permission.CREATE);
                patientScopesCount = !search;
            }
            case PUT -> permissions = EnumSet.of(Permission.UPDATE, Permission.CREATE);
            case PATCH -> permissions = EnumSet.of(Permission.UPDATE);
            case DELETE -> permissions = EnumSet.of(Permission.DELETE);
            default -> throw refused("an entry with request method " + request.getMethod());
        }
        return Optional.of(new ScopeRequirement(permissions, List.of(type), patientScopesCount));
    }

    /**
     * The search a conditional interaction runs before it writes (FHIR R4 http.html: conditional create, update,
     * patch and delete): s on its type, as a search made alone would need. Without it, a conditional create that
     * matches answers with the matched resource, whoever's it is, and the others tell by their answer whether
     * something matched. A patient/ s scope serves it: the search narrowing narrows the condition to the
     * patient's compartment too.
     */
    static ScopeRequirement conditionalMatch(String type) {
        return new ScopeRequirement(EnumSet.of(Permission.SEARCH), List.of(type), true);
    }

    /** The search of a conditional entry of a batch or transaction Bundle ({@code ifNoneExist}, {@code Type?query}). */
    static Optional<ScopeRequirement> conditionalMatch(Bundle.BundleEntryComponent entry) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String url = request.getUrl() == null ? "" : request.getUrl().trim();
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        String type = path.substring(path.lastIndexOf('/') + 1);
        boolean conditional = switch (request.getMethod() == null ? Bundle.HTTPVerb.NULL : request.getMethod()) {
            case POST -> request.hasIfNoneExist() && !request.getIfNoneExist().isBlank();
            case PUT, PATCH, DELETE -> q >= 0;
            default -> false;
        };
        return conditional && RESOURCE_TYPE.matcher(type).matches()
                ? Optional.of(conditionalMatch(type)) : Optional.empty();
    }

    /**
     * The types a search of {@code type} looks into through chained parameters and {@code _has}
     * ({@link LinkedSearchTypes}): s on each, else a search finds its resources by the content of resources the
     * scopes do not reach ({@code Patient?_has:Observation:subject:code=...} with Patient scopes alone tells who has
     * that Observation). patient/ scopes serve them only when the search itself is narrowed to the patient.
     */
    static Optional<ScopeRequirement> linkedSearch(FhirContext fhirContext, String type,
                                                   java.util.Collection<String> parameterNames, boolean narrowed) {
        Set<String> linked = LinkedSearchTypes.of(fhirContext, type, parameterNames);
        return linked.isEmpty() ? Optional.empty()
                : Optional.of(new ScopeRequirement(EnumSet.of(Permission.SEARCH), List.copyOf(linked), narrowed));
    }

    /** The same for a search entry of a batch or transaction Bundle ({@code GET Type?params}). */
    static Optional<ScopeRequirement> linkedSearch(FhirContext fhirContext, Bundle.BundleEntryComponent entry,
                                                   String base, java.util.function.Predicate<String> narrowed) {
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String url = request.getUrl() == null ? "" : request.getUrl().trim();
        if (base != null && url.startsWith(base + "/")) {
            url = url.substring(base.length() + 1);
        }
        int q = url.indexOf('?');
        if (q < 0 || (request.getMethod() != Bundle.HTTPVerb.GET && request.getMethod() != Bundle.HTTPVerb.HEAD)) {
            return Optional.empty();
        }
        String type = url.substring(0, q);
        if (!RESOURCE_TYPE.matcher(type).matches()) {
            return Optional.empty();   // system-level: s on every type searched from a user/ or system/ scope
        }
        return linkedSearch(fhirContext, type, LinkedSearchTypes.parameterNames(url.substring(q + 1)),
                narrowed.test(type));
    }

    /** A system-level search or history: s on each type of {@code _type}, on every type without it. */
    private static ScopeRequirement systemLevel(String[] typeParameter) {
        List<String> types = new ArrayList<>();
        if (typeParameter != null) {
            for (String value : typeParameter) {
                for (String t : value.split(",")) {
                    if (!t.isBlank()) {
                        types.add(t.trim());
                    }
                }
            }
        }
        return new ScopeRequirement(EnumSet.of(Permission.SEARCH), types.isEmpty() ? List.of(SmartScope.ANY_TYPE)
                : List.copyOf(types), false);
    }

    private static String[] parameter(String query, String name) {
        List<String> values = new ArrayList<>();
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8).equals(name)) {
                values.add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values.isEmpty() ? null : values.toArray(String[]::new);
    }

    /** True if the access holds one of the permissions on every type, in a context that may serve it. */
    boolean isMetBy(SmartAccess access) {
        for (String type : types) {
            boolean met = permissions.stream().anyMatch(p -> access.permitsAnyInstance(type, p)
                    || patientScopesCount && access.permitsForPatient(type, p));
            if (!met) {
                return false;
            }
        }
        return true;
    }

    /** True if this is a search a patient/ scope may serve (then narrowed to the patient's compartment). */
    boolean isNarrowableSearch() {
        return patientScopesCount && permissions.equals(EnumSet.of(Permission.SEARCH));
    }

    /** For a refusal: "search (user/ or system/ scope) on Observation, Patient". No resource content. */
    String describe() {
        String what = permissions.stream().map(p -> p.name().toLowerCase()).collect(Collectors.joining(" or "));
        String types = this.types.contains(SmartScope.ANY_TYPE) ? "every resource type" : String.join(", ", this.types);
        return what + (patientScopesCount ? "" : " (a user/ or system/ scope)") + " on " + types;
    }

    private static ForbiddenOperationException refused(String what) {
        return new ForbiddenOperationException("The granted SMART scopes cannot be checked against " + what);
    }
}
