package io.carebus.fhir.smart;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.interceptor.binary.BinarySecurityContextInterceptor;

/**
 * A bulk export output file ({@code Binary} with the exporting client in {@code securityContext.identifier},
 * see {@link BulkExportOwner}) is shown to that client only, whatever else the caller's scopes allow: an
 * operator, a user/ or patient/ app and another backend service get 403. HAPI's own jobs read with system
 * request details and are not checked. A Binary with another security context is refused as well.
 */
public class ExportFileAccess extends BinarySecurityContextInterceptor {

    public ExportFileAccess(FhirContext fhirContext) {
        super(fhirContext);
    }

    @Override
    protected boolean securityContextIdentifierAllowed(String system, String value, RequestDetails request) {
        return BulkExportOwner.CLIENT_ID_SYSTEM.equals(system) && BulkExportOwner.isOwner(request, value);
    }
}
