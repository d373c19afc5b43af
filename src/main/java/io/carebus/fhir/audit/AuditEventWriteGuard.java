package io.carebus.fhir.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import io.carebus.security.SecurityConfig;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.AuditEvent;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The audit trail is written by the server: through {@code /fhir} only an engineer may create, change or delete an
 * AuditEvent (a REST request, a transaction entry, a patch). The server's own writes do not pass through here.
 */
@Interceptor
public class AuditEventWriteGuard {

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void created(IBaseResource resource) {
        check(resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void updated(IBaseResource previous, IBaseResource resource) {
        check(previous);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void deleted(IBaseResource resource) {
        check(resource);
    }

    private static void check(IBaseResource resource) {
        if (resource instanceof AuditEvent && !isEngineer()) {
            throw new ForbiddenOperationException("AuditEvents are written by the server only");
        }
    }

    private static boolean isEngineer() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication != null && authentication.getAuthorities().stream()
                .anyMatch(authority -> ("ROLE_" + SecurityConfig.ENGINEER).equals(authority.getAuthority()));
    }
}
