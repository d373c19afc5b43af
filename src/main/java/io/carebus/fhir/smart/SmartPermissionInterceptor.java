package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;

/**
 * The part of SMART v2 permissions HAPI's rules cannot say: read (r) apart from search (s), create (c) apart from
 * update (u). SMART App Launch 2.x §Scopes: c create, r read and vread (and history of an instance), u update and
 * patch, d delete, s search and history of a type. The compartment checks stay with
 * {@link SmartAuthorizationInterceptor}.
 */
@Interceptor
public class SmartPermissionInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkPermission(RequestDetails request, RestOperationTypeEnum operation) {
        Permission needed = switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> Permission.READ;
            case SEARCH_TYPE, HISTORY_TYPE -> Permission.SEARCH;
            case CREATE -> Permission.CREATE;
            case UPDATE, PATCH -> Permission.UPDATE;
            case DELETE -> Permission.DELETE;
            default -> null;   // operations, transactions, system search/history: SmartAuthorizationInterceptor's rules
        };
        String type = request.getResourceName();
        if (needed == null || type == null) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return;   // no access: the authorization rules deny
        }
        if (needed == Permission.READ && "Binary".equals(type) && access.get().mayExport()) {
            // a bulk export output file (SMART Bulk Data Access IG 2.0: requiresAccessToken, the kick-off's token
            // reads it): a Binary scope is not asked for; the authorization rules and ExportFileAccess let the
            // exporting client read its own files only
            return;
        }
        if (!access.get().scopes().permitsInAnyContext(type, needed)) {
            throw new ForbiddenOperationException("The granted SMART scopes do not allow "
                    + needed.name().toLowerCase() + " on " + type);
        }
    }
}
