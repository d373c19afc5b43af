package io.carebus.fhir.server;

import java.util.Date;

import ca.uhn.fhir.interceptor.model.RequestPartitionId;
import ca.uhn.fhir.jpa.model.dao.JpaPid;
import ca.uhn.fhir.jpa.search.PersistedJpaBundleProviderFactory;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.IBundleProvider;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.HistorySearchStyleEnum;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.InstantType;

/**
 * HAPI's history with an upper bound: a {@code _history} request (server, type or instance) without an {@code _at}
 * upper bound lists the versions written up to the moment of its first page, not "up to now" at each page. HAPI
 * keeps a history's bounds with its saved search and pages it by re-running the query at an offset
 * ({@code _getpages}); without an upper bound, each write made between two page fetches shifts the newest-first
 * list, so the next page repeats entries (or, with deletes of history, skips some). FHIR R4 http.html#history: the
 * history list is of the versions "as of the time of the request"; paging is the server's choice
 * (http.html#paging), and a snapshot is what a client following next links expects.
 * <p>
 * A request may name the bound itself with {@code _until} (an instant): the {@code _offset} page links of a history
 * carry it ({@link HistoryPageLinks}), so offset paging is stable too.
 */
public class PinnedHistoryBundleProviderFactory extends PersistedJpaBundleProviderFactory {

    /** The upper bound (inclusive) of a history request, carried by its offset page links. */
    public static final String UNTIL = "_until";
    /** RequestDetails user data: the bound a history request was answered with. */
    static final String PINNED_UNTIL = PinnedHistoryBundleProviderFactory.class.getName() + ".until";

    @Override
    public IBundleProvider history(RequestDetails request, String resourceType, JpaPid resourcePid, Date since,
            Date until, Integer offset, HistorySearchStyleEnum style, RequestPartitionId partition) {
        Date bound = until;
        if (bound == null) {
            bound = requestedUntil(request);
            if (request != null) {
                request.getUserData().put(PINNED_UNTIL, bound);
            }
        }
        return super.history(request, resourceType, resourcePid, since, bound, offset, style, partition);
    }

    /** The request's {@code _until}, else now. */
    static Date requestedUntil(RequestDetails request) {
        String[] values = request == null || request.getParameters() == null ? null
                : request.getParameters().get(UNTIL);
        if (values == null || values.length == 0) {
            return new Date();
        }
        try {
            return new InstantType(values[0]).getValue();
        } catch (DataFormatException e) {
            throw new InvalidRequestException(UNTIL + " must be an instant with a time zone "
                    + "(2025-01-01T00:00:00.000Z)");
        }
    }
}
