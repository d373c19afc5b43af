package io.carebus.fhir.smart;

import java.util.Optional;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

/**
 * The part of SMART v2 permissions HAPI's rules cannot say (SMART App Launch 2.x §Scopes): read (r) apart from
 * search (s), create (c) apart from update (u), and which context a permission comes from. HAPI's {@code read()}
 * rule also covers search and its {@code write()} rule create and update, and a rule made from a user/ scope
 * serves whatever request it matches; so each request is checked here against a {@link ScopeRequirement}:
 * <ul>
 *   <li>every interaction on a type or an instance, and each entry of a batch or transaction Bundle, the same way;</li>
 *   <li>a system-level search or history ({@code GET /fhir?_type=...}, {@code /fhir/_history}) and a type's
 *       history: s from a user/ or system/ scope on each type they cover, as they cannot be narrowed to a
 *       patient;</li>
 *   <li>a search's chained parameters and {@code _has}: s on the types they look into
 *       ({@link ScopeRequirement#linkedSearch});</li>
 *   <li>a conditional create, update, patch or delete: s on the type as well, for the search it runs
 *       ({@link ScopeRequirement#conditionalMatch(String)});</li>
 *   <li>a create, update or delete as HAPI stores it: a PUT that creates needs c, one that replaces u; a
 *       permission held only in a patient/ scope reaches the patient's compartment only, whatever the user/ scopes
 *       of other permissions let HAPI's rules through.</li>
 * </ul>
 * The compartment checks of reads and searches stay with {@link SmartAuthorizationInterceptor} and
 * {@link SmartSearchNarrowingInterceptor}.
 */
@Interceptor
public class SmartPermissionInterceptor {

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void checkPermission(RequestDetails request, RestOperationTypeEnum operation) {
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return;   // no access: the authorization rules deny
        }
        if (operation == RestOperationTypeEnum.TRANSACTION || operation == RestOperationTypeEnum.BATCH) {
            if (request.getResource() instanceof Bundle bundle) {
                for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                    ScopeRequirement.of(entry, request.getFhirServerBase())
                            .ifPresent(needed -> require(access.get(), needed));
                    ScopeRequirement.conditionalMatch(entry).ifPresent(needed -> require(access.get(), needed));
                    ScopeRequirement.linkedSearch(request.getFhirContext(), entry, request.getFhirServerBase(),
                                    type -> !access.get().permitsAnyInstance(type, Permission.SEARCH))
                            .ifPresent(needed -> require(access.get(), needed));
                }
            }
            return;
        }
        if ((operation == RestOperationTypeEnum.READ || operation == RestOperationTypeEnum.VREAD)
                && "Binary".equals(request.getResourceName()) && access.get().mayExport()) {
            // a bulk export output file (SMART Bulk Data Access IG 2.0: requiresAccessToken, the kick-off's token
            // reads it): a Binary scope is not asked for; the authorization rules and ExportFileAccess let the
            // exporting client read its own files only
            return;
        }
        ScopeRequirement.of(operation, request.getResourceName(), request.getParameters())
                .ifPresent(needed -> require(access.get(), needed));
        if (operation == RestOperationTypeEnum.SEARCH_TYPE) {
            String type = request.getResourceName();
            ScopeRequirement.linkedSearch(request.getFhirContext(), type, request.getParameters().keySet(),
                            !access.get().permitsAnyInstance(type, Permission.SEARCH))
                    .ifPresent(needed -> require(access.get(), needed));
        }
        if (request.getResourceName() != null && request.getConditionalUrl(operation) != null) {
            require(access.get(), ScopeRequirement.conditionalMatch(request.getResourceName()));
        }
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED)
    public void checkCreate(RequestDetails request, IBaseResource resource) {
        checkWrite(request, Permission.CREATE, null, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void checkUpdate(RequestDetails request, IBaseResource previous, IBaseResource resource) {
        checkWrite(request, Permission.UPDATE, previous, resource);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_DELETED)
    public void checkDelete(RequestDetails request, IBaseResource resource) {
        checkWrite(request, Permission.DELETE, null, resource);
    }

    /**
     * A write as stored (direct, or an entry of a transaction): the permission from a user/ or system/ scope, or
     * from a patient/ scope with the resource (before and after an update) in the patient's compartment and in no
     * other patient's.
     */
    private static void checkWrite(RequestDetails request, Permission permission, IBaseResource previous,
                                   IBaseResource resource) {
        if (request == null || resource == null) {
            return;
        }
        Optional<SmartAccess> access = SmartAuthorizationInterceptor.access(request);
        if (access.isEmpty()) {
            return;
        }
        SmartAccess a = access.get();
        String type = request.getFhirContext().getResourceType(resource);
        if (a.permitsAnyInstance(type, permission)) {
            return;
        }
        if (a.permitsForPatient(type, permission)
                && PatientCompartment.containsOnly(request.getFhirContext(), resource, a.patientId())
                && (previous == null
                        || PatientCompartment.containsOnly(request.getFhirContext(), previous, a.patientId()))) {
            return;
        }
        throw new ForbiddenOperationException("The granted SMART scopes do not allow "
                + permission.name().toLowerCase() + " of this " + type);
    }

    private static void require(SmartAccess access, ScopeRequirement needed) {
        if (!needed.isMetBy(access)) {
            throw new ForbiddenOperationException("The granted SMART scopes do not allow " + needed.describe());
        }
    }
}
