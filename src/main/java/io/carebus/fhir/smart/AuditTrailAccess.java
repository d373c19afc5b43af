package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.IPreResourceShowDetails;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.bulk.BulkExportJobParameters;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The audit trail (AuditEvent: who accessed which patient's data, from which address, with which query) is read
 * by auditors through {@code /api/audit/events} and by engine operators; no SMART scope reaches it, {@code user/*.rs}
 * and {@code system/*.rs} included: a request on the AuditEvent type (directly, in {@code _type}, in a Bundle entry
 * or in a bulk export's {@code _type}) is refused, so is the server's history ({@code /fhir/_history}, which holds
 * them), and AuditEvents are left out of what a token's searches answer and of bulk export files
 * ({@link ExportFilter}).
 */
@Interceptor
public class AuditTrailAccess {

    private static final String AUDIT_EVENT = "AuditEvent";
    private static final String REFUSED = "The audit trail is read by auditors through /api/audit/events";

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void refuseRequest(RequestDetails request, RestOperationTypeEnum operation) {
        if (token(request).isEmpty()) {
            return;
        }
        if (AUDIT_EVENT.equals(request.getResourceName())) {
            throw new ForbiddenOperationException(REFUSED);
        }
        if (operation == RestOperationTypeEnum.HISTORY_SYSTEM) {
            // HAPI's system history takes no _type and cannot leave a resource out of a page: the server's
            // history is the audit trail's too
            throw new ForbiddenOperationException(REFUSED + "; the server's history holds it: read a type's history");
        }
        if (operation == RestOperationTypeEnum.SEARCH_SYSTEM) {
            ScopeRequirement.of(operation, null, request.getParameters()).ifPresent(AuditTrailAccess::refuseIfNamed);
        }
        if ((operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH)
                && request.getResource() instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                ScopeRequirement.of(entry, request.getFhirServerBase()).ifPresent(AuditTrailAccess::refuseIfNamed);
            }
        }
    }

    /**
     * A search's AuditEvents (a system-level search, an {@code _include}) are left out. After the authorization
     * checks (which see every resource shown), so that they never see a removed one.
     */
    @Hook(value = Pointcut.STORAGE_PRESHOW_RESOURCES, order = 100)
    public void hide(IPreResourceShowDetails details, RequestDetails request) {
        if (token(request).isEmpty()) {
            return;
        }
        for (int i = 0; i < details.size(); i++) {
            if (details.getResource(i) instanceof AuditEvent) {
                details.setResource(i, null);
            }
        }
    }

    /**
     * An export naming AuditEvent in {@code _type} is refused; one of every type (HAPI has listed them all by now)
     * goes on without it.
     */
    @Hook(Pointcut.STORAGE_PRE_INITIATE_BULK_EXPORT)
    public void leaveOutOfExport(BulkExportJobParameters parameters, RequestDetails request) {
        String[] named = request == null ? null : request.getParameters().get("_type");
        if (named != null && Arrays.stream(named).flatMap(types -> Arrays.stream(types.split(",")))
                .map(String::trim).anyMatch(AUDIT_EVENT::equals)) {
            throw new ForbiddenOperationException(REFUSED);
        }
        List<String> types = parameters.getResourceTypes();
        if (types != null && types.contains(AUDIT_EVENT)) {
            List<String> without = new ArrayList<>(types);
            without.remove(AUDIT_EVENT);
            if (without.isEmpty()) {
                throw new ForbiddenOperationException(REFUSED);   // an empty list would be every type
            }
            parameters.setResourceTypes(without);
        }
    }

    /**
     * Leaves AuditEvents out of every bulk export (export is for SMART backend services only), as an export of
     * every type would hold them. Registered with HAPI's storage interceptors: the export job calls it, not the
     * REST server.
     */
    @Interceptor
    public static class ExportFilter {

        @Hook(Pointcut.STORAGE_BULK_EXPORT_RESOURCE_INCLUSION)
        public boolean exported(IBaseResource resource) {
            return !(resource instanceof AuditEvent);
        }
    }

    private static void refuseIfNamed(ScopeRequirement requirement) {
        if (requirement.types().contains(AUDIT_EVENT)) {
            throw new ForbiddenOperationException(REFUSED);
        }
    }

    /** A SMART token's access; an engine operator (basic auth) is not limited here. */
    private static Optional<SmartAccess> token(RequestDetails request) {
        return request == null ? Optional.empty()
                : SmartAuthorizationInterceptor.access(request).filter(access -> !access.operator());
    }
}
