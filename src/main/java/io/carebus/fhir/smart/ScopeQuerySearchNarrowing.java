package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.searchparam.matcher.SearchParamMatcher;
import ca.uhn.fhir.model.api.ResourceMetadataKeyEnum;
import ca.uhn.fhir.model.valueset.BundleEntrySearchModeEnum;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.util.MatchUrlUtil;
import org.apache.http.NameValuePair;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Searches by a token with v2 query-narrowed scopes ({@code patient/Observation.rs?category=laboratory}) find what
 * the scopes allow, and only that (SMART App Launch 2.0 §Finer-grained resource constraints using search
 * parameters): the scope's query is added to the search, so its results, pages and {@code _summary=count} cover
 * the allowed resources only, and no resource outside the scope turns the search into a refusal that tells it
 * exists. Where one type has several narrowed scopes no single search can say ({@link ScopeQueryNarrowing}), the
 * results are filtered resource by resource and counts ({@code _summary=count}, {@code _total}) refused.
 * The searches of a batch or transaction Bundle are narrowed the same way, entry by entry. What {@code _include}
 * and {@code _revinclude} add is filtered resource by resource: the query narrows what the search matches, not
 * what it includes. The resources shown are still checked by {@link SmartAuthorizationInterceptor}'s rules.
 */
@Interceptor
public class ScopeQuerySearchNarrowing {

    /** Request attribute: the type whose search the database already narrowed to the scopes' query. */
    private static final String NARROWED = ScopeQuerySearchNarrowing.class.getName() + ".narrowed";
    private static final Pattern RESOURCE_TYPE = Pattern.compile("[A-Z][A-Za-z]+");

    private final SearchParamMatcher matcher;

    public ScopeQuerySearchNarrowing(SearchParamMatcher matcher) {
        this.matcher = matcher;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean narrow(RequestDetails request) {
        if (request.getRestOperationType() != RestOperationTypeEnum.SEARCH_TYPE) {
            return true;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return true;
        }
        String type = request.getResourceName();
        Map<String, List<String>> added = addedParameters(access.get(), type, request.getParameters());
        if (!added.isEmpty()) {
            Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameters());
            added.forEach((name, values) -> {
                List<String> all = new ArrayList<>(Arrays.asList(parameters.getOrDefault(name, new String[0])));
                all.addAll(values);
                parameters.put(name, all.toArray(String[]::new));
            });
            request.setParameters(parameters);
            request.getUserData().put(NARROWED, type);
        }
        return true;
    }

    /**
     * The search entries of a batch or transaction ({@code GET Type?query}), as a search made alone: HAPI runs them
     * as sub-requests parsed from the entry's URL, after this hook and without the one above, so the narrowing is
     * added to the URL. A count the scopes cannot narrow refuses the Bundle, as it refuses a search alone.
     */
    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void narrowBundleSearches(RequestDetails request, RestOperationTypeEnum operation) {
        if ((operation != RestOperationTypeEnum.TRANSACTION && operation != RestOperationTypeEnum.BATCH)
                || !(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.BundleEntryRequestComponent asked = entry.getRequest();
            if (asked.getMethod() != Bundle.HTTPVerb.GET && asked.getMethod() != Bundle.HTTPVerb.HEAD) {
                continue;
            }
            String url = asked.getUrl() == null ? "" : asked.getUrl().trim();
            String base = request.getFhirServerBase();
            if (base != null && url.startsWith(base + "/")) {
                url = url.substring(base.length() + 1);
            }
            int q = url.indexOf('?');
            String type = q < 0 ? url : url.substring(0, q);
            if (!RESOURCE_TYPE.matcher(type).matches()) {
                continue;   // a read, a history, an operation: not a type's search
            }
            Map<String, List<String>> added = addedParameters(access.get(), type,
                    q < 0 ? Map.of() : queryParameters(url.substring(q + 1)));
            if (!added.isEmpty()) {
                StringBuilder narrowed = new StringBuilder(url).append(q < 0 ? "?" : "&");
                narrowed.append(ScopeQueryNarrowing.queryString(added));
                asked.setUrl(narrowed.toString());
            }
        }
    }

    /**
     * What the scopes' query adds to a search of {@code type} ({@link ScopeQueryNarrowing.Kind#PARAMETERS}): one
     * more occurrence of each parameter, AND with what the caller asked (a value asked already is met); nothing
     * otherwise. A count is refused when the scopes cannot be said in one search.
     */
    private static Map<String, List<String>> addedParameters(SmartAccess access, String type,
                                                             Map<String, String[]> asked) {
        ScopeQueryNarrowing narrowing = ScopeQueryNarrowing.of(access, type);
        if (narrowing.kind() == ScopeQueryNarrowing.Kind.UNCOMBINABLE && asksForCount(asked)) {
            throw new ForbiddenOperationException("The granted SMART scopes narrow " + type
                    + " by search parameters that cannot be combined into one search: _summary=count and"
                    + " _total are not available; search without them");
        }
        Map<String, List<String>> added = new LinkedHashMap<>();
        if (narrowing.kind() == ScopeQueryNarrowing.Kind.PARAMETERS) {
            narrowing.parameters().forEach((name, values) -> {
                List<String> already = Arrays.asList(asked.getOrDefault(name, new String[0]));
                values.stream().filter(v -> !already.contains(v))
                        .forEach(v -> added.computeIfAbsent(name, n -> new ArrayList<>()).add(v));
            });
        }
        return added;
    }

    /** The parameters of a Bundle entry's query string, decoded as HAPI decodes them. */
    private static Map<String, String[]> queryParameters(String query) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        for (NameValuePair pair : MatchUrlUtil.translateMatchUrl("?" + query)) {
            parameters.computeIfAbsent(pair.getName(), n -> new ArrayList<>()).add(pair.getValue());
        }
        Map<String, String[]> arrays = new LinkedHashMap<>();
        parameters.forEach((name, values) -> arrays.put(name, values.toArray(String[]::new)));
        return arrays;
    }

    /**
     * Leaves out of a search's (or a page's, or a Bundle entry's) resources those of a type the scopes narrow
     * by query that match none of its scopes. Before the authorization rules (order 0), which refuse the whole
     * answer for one such resource.
     */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = -100)
    public void filter(IPreResourceShowDetails details, RequestDetails request) {
        if (request == null) {
            return;
        }
        RestOperationTypeEnum operation = request.getRestOperationType();
        if (operation != RestOperationTypeEnum.SEARCH_TYPE && operation != RestOperationTypeEnum.SEARCH_SYSTEM
                && operation != RestOperationTypeEnum.GET_PAGE) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty() || access.get().operator()) {
            return;
        }
        Map<String, ScopeQueryNarrowing> byType = new LinkedHashMap<>();
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource == null) {
                continue;
            }
            String type = request.getFhirContext().getResourceType(resource);
            ScopeQueryNarrowing narrowing = byType.computeIfAbsent(type, t -> ScopeQueryNarrowing.of(access.get(), t));
            // matched by a search the database narrowed already; what it includes is not
            boolean searchedNarrowed = type.equals(request.getUserData().get(NARROWED)) && !isIncluded(resource);
            if (narrowing.kind() != ScopeQueryNarrowing.Kind.NONE && !searchedNarrowed
                    && !allows(narrowing, type, resource, request)) {
                details.setResource(i, null);
            }
        }
    }

    /**
     * Brought by {@code _include} or {@code _revinclude}: HAPI marks each resource a search loads as a match or an
     * include; one not marked is checked as an include would be.
     */
    private static boolean isIncluded(IBaseResource resource) {
        return ResourceMetadataKeyEnum.ENTRY_SEARCH_MODE.get(resource) != BundleEntrySearchModeEnum.MATCH;
    }

    private boolean allows(ScopeQueryNarrowing narrowing, String type, IBaseResource resource, RequestDetails request) {
        for (ScopeQueryNarrowing.Term term : narrowing.terms()) {
            if (term.patientId() != null
                    && !PatientCompartment.contains(request.getFhirContext(), resource, term.patientId())) {
                continue;
            }
            if (term.query().isEmpty() || matcher.match(type + "?" + ScopeQueryNarrowing.queryString(term.query()), resource, request)
                    .matched()) {
                return true;
            }
        }
        return false;
    }

    private static boolean asksForCount(Map<String, String[]> parameters) {
        String[] summary = parameters.get("_summary");
        String[] total = parameters.get("_total");
        return (summary != null && Arrays.asList(summary).contains("count"))
                || (total != null && Arrays.stream(total).anyMatch(t -> !"none".equals(t)));
    }
}
