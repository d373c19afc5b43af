package io.carebus.fhir.bulk;

import java.io.IOException;
import java.util.Locale;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.Constants;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.ResponseDetails;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.hl7.fhir.r4.model.Binary;

/**
 * A bulk export output file (a {@code Binary} holding NDJSON) read with {@code Accept: application/fhir+ndjson}
 * is answered with the NDJSON itself, as the Bulk Data Access IG's file request expects. HAPI takes that media
 * type for a FHIR encoding and would otherwise answer with the Binary resource wrapped in JSON.
 */
@Interceptor
public class BinaryAsNdjsonInterceptor {

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public boolean serveNdjson(RequestDetails request, ResponseDetails response, HttpServletRequest servletRequest,
            HttpServletResponse servletResponse) throws IOException {
        if (request.getRestOperationType() != RestOperationTypeEnum.READ
                && request.getRestOperationType() != RestOperationTypeEnum.VREAD) {
            return true;
        }
        if (!(response.getResponseResource() instanceof Binary binary)
                || binary.getContentType() == null || servletResponse == null
                // files written before the kick-off took each of the IG's names of NDJSON for application/fhir+ndjson
                || !BulkExportKickOffParameters.NDJSON.contains(binary.getContentType().toLowerCase(Locale.ROOT))) {
            return true;
        }
        if (!accepts(servletRequest, Constants.CT_FHIR_NDJSON)) {
            return true;
        }
        byte[] content = binary.getData() == null ? new byte[0] : binary.getData();
        servletResponse.setStatus(HttpServletResponse.SC_OK);
        servletResponse.setContentType(Constants.CT_FHIR_NDJSON);
        servletResponse.setContentLength(content.length);
        servletResponse.getOutputStream().write(content);
        servletResponse.getOutputStream().flush();
        return false;
    }

    private static boolean accepts(HttpServletRequest request, String mediaType) {
        for (String accept : java.util.Collections.list(request.getHeaders(Constants.HEADER_ACCEPT))) {
            if (accept.contains(mediaType)) {
                return true;
            }
        }
        return false;
    }
}
