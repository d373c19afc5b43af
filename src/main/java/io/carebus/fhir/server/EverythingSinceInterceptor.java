package io.carebus.fhir.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;

/**
 * {@code _since} on {@code Patient/$everything} (FHIR R4 OperationDefinition Patient-everything: "_since: Resources
 * updated after this period will be included in the response. The intent of this parameter is to allow a client
 * to request only records that have changed since the last request"), which HAPI's JPA operation does not take (nor
 * does it apply its own {@code _lastUpdated} there). A resource whose {@code meta.lastUpdated} is before
 * {@code _since} is left out of each page, the Patient included when it has not changed; what is left out is not
 * counted ({@code Bundle.total} is dropped) and a page may hold fewer than {@code _count} resources.
 * <p>
 * HAPI pages {@code $everything} through its saved search ({@code _getpages} links): the links of each page carry
 * {@code _since} on, so the next pages are filtered the same way. A {@code _since} that is not an instant answers
 * 400.
 */
@Interceptor
public class EverythingSinceInterceptor {

    static final String SINCE = "_since";
    private static final String EVERYTHING = "$everything";
    private static final Set<RestOperationTypeEnum> OPERATIONS = Set.of(
            RestOperationTypeEnum.EXTENDED_OPERATION_INSTANCE, RestOperationTypeEnum.EXTENDED_OPERATION_TYPE);

    @Hook(Pointcut.STORAGE_PRESHOW_RESOURCES)
    public void leaveOutUnchanged(IPreResourceShowDetails details, RequestDetails request) {
        Date since = since(request);
        if (since == null) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            IBaseResource resource = details.getResource(i);
            if (resource != null && isBefore(resource, since)) {
                details.setResource(i, null);
            }
        }
    }

    /** Carries {@code _since} on to the page links, and drops the total, which counts what was left out. */
    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void keepSinceOnPageLinks(RequestDetails request, ResponseDetails response) {
        if (response == null || !(response.getResponseResource() instanceof Bundle bundle)
                || since(request) == null) {
            return;
        }
        String parameter = SINCE + "=" + URLEncoder.encode(request.getParameters().get(SINCE)[0],
                StandardCharsets.UTF_8);
        bundle.setTotalElement(null);
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            String url = link.getUrl();
            if (url != null && url.contains("_getpages=") && !url.contains(SINCE + "=")) {
                link.setUrl(url + (url.contains("?") ? "&" : "?") + parameter);
            }
        }
    }

    /** The {@code _since} of a {@code Patient/$everything} request or of one of its pages; null otherwise. */
    static Date since(RequestDetails request) {
        if (request == null || request.getParameters() == null || !request.getParameters().containsKey(SINCE)) {
            return null;
        }
        boolean everything = OPERATIONS.contains(request.getRestOperationType())
                && EVERYTHING.equals(request.getOperation()) && "Patient".equals(request.getResourceName());
        if (!everything && request.getRestOperationType() != RestOperationTypeEnum.GET_PAGE) {
            return null;
        }
        String[] values = request.getParameters().get(SINCE);
        if (values.length != 1 || values[0] == null || values[0].isBlank()) {
            throw new InvalidRequestException(SINCE + " must be given once, as an instant (2025-01-01T00:00:00Z)");
        }
        try {
            return new InstantType(values[0]).getValue();
        } catch (DataFormatException e) {
            throw new InvalidRequestException(SINCE + " must be an instant with a time zone "
                    + "(2025-01-01T00:00:00Z), not " + values[0]);
        }
    }

    private static boolean isBefore(IBaseResource resource, Date since) {
        Date lastUpdated = resource.getMeta().getLastUpdated();
        return lastUpdated != null && lastUpdated.before(since);
    }
}
