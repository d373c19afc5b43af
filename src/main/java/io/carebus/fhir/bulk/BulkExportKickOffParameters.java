package io.carebus.fhir.bulk;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Parameters;

/**
 * The kick-off parameters of {@code $export} where HAPI's provider falls short of the Bulk Data Access IG 2.0:
 * <ul>
 *   <li>{@code _outputFormat}: "The server SHALL accept the full content type of application/fhir+ndjson as well as
 *   the abbreviated representations application/ndjson and ndjson." HAPI accepts the three but writes the one given
 *   as the files' content type; each is taken here for {@code application/fhir+ndjson}, so that every file is
 *   served as NDJSON.</li>
 *   <li>{@code _elements} and {@code includeAssociatedData}, which HAPI's export ignores: "Servers unable to support
 *   [them] SHOULD return an error and FHIR OperationOutcome resource so clients can re-submit a request omitting"
 *   them, unless the client sent {@code Prefer: handling=lenient}, when the server "MAY process the request instead
 *   of returning an error" (it then exports whole resources, without associated data).</li>
 * </ul>
 */
@Interceptor
public class BulkExportKickOffParameters {

    /** The IG's names of NDJSON for {@code _outputFormat}. */
    static final Set<String> NDJSON = Set.of(Constants.CT_FHIR_NDJSON, "application/ndjson", "ndjson");
    /** IG 2.0 kick-off parameters this server does not support. */
    static final List<String> UNSUPPORTED = List.of("_elements", "includeAssociatedData");

    // after the authorization hooks (order 0): a caller who may not export learns nothing of the parameters
    @Hook(value = Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT, order = 10)
    public void check(BulkExportJobParameters parameters, RequestDetails request) {
        String format = parameters.getOutputFormat();
        if (format != null && NDJSON.contains(format.trim().toLowerCase(Locale.ROOT))) {
            parameters.setOutputFormat(Constants.CT_FHIR_NDJSON);
        }
        List<String> unsupported = new ArrayList<>();
        for (String name : UNSUPPORTED) {
            if (given(request, name)) {
                unsupported.add(name);
            }
        }
        if (!unsupported.isEmpty() && !lenient(request)) {
            throw new InvalidRequestException("Bulk export does not support " + String.join(", ", unsupported)
                    + ": ask again without it, or with the header 'Prefer: handling=lenient' to have it ignored");
        }
    }

    private static boolean given(RequestDetails request, String name) {
        if (request.getParameters().containsKey(name)) {
            return true;
        }
        // POST kick-off: the parameters are a Parameters resource
        return request.getResource() instanceof Parameters body && body.getParameter(name) != null;
    }

    /** RFC 7240 Prefer, as the IG uses it: {@code Prefer: respond-async, handling=lenient}. */
    static boolean lenient(RequestDetails request) {
        List<String> prefer = request.getHeaders(Constants.HEADER_PREFER);
        if (prefer == null) {
            return false;
        }
        for (String header : prefer) {
            for (String preference : header.split(",")) {
                String p = preference.trim().toLowerCase(Locale.ROOT).replace(" ", "");
                if (p.equals("handling=lenient") || p.equals("handling=\"lenient\"")) {
                    return true;
                }
            }
        }
        return false;
    }
}
