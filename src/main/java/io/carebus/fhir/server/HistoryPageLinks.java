package io.carebus.fhir.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Date;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.InstantType;

/**
 * The {@code _offset} page links of a history carry the upper bound its first page was answered with
 * ({@link PinnedHistoryBundleProviderFactory#UNTIL}), so every page lists the same versions; {@code _getpages} links
 * need nothing, HAPI keeps the bound with the saved search.
 */
@Interceptor
public class HistoryPageLinks {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void carryTheBound(RequestDetails request, ResponseDetails response) {
        if (request == null || response == null
                || !(request.getUserData().get(PinnedHistoryBundleProviderFactory.PINNED_UNTIL) instanceof Date until)
                || !(response.getResponseResource() instanceof Bundle bundle)
                || bundle.getType() != Bundle.BundleType.HISTORY) {
            return;
        }
        String parameter = PinnedHistoryBundleProviderFactory.UNTIL + "="
                + URLEncoder.encode(new InstantType(until).getValueAsString(), StandardCharsets.UTF_8);
        for (Bundle.BundleLinkComponent link : bundle.getLink()) {
            String url = link.getUrl();
            if (url != null && url.contains("_offset=") && !url.contains("_getpages=")
                    && !url.contains(PinnedHistoryBundleProviderFactory.UNTIL + "=")) {
                link.setUrl(url + (url.contains("?") ? "&" : "?") + parameter);
            }
        }
    }
}
