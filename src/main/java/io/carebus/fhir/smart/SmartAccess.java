package io.carebus.fhir.smart;

import java.security.Principal;
import java.util.Optional;

import io.carebus.security.SecurityConfig;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * What the caller of the FHIR API may do: the client, the user (and their FHIR resource), the patient in context
 * and the granted scopes. From a bearer token issued here, or, for an engine operator signed in with basic auth
 * (ENGINEER), {@code user/*.cruds}.
 *
 * <p>In the FHIR layer: {@link #current()} (the SecurityContext of the request thread), or
 * {@link #from(HttpServletRequest)} with {@code ServletRequestDetails.getServletRequest()}.
 *
 * @param clientId  the client the token was issued to; null for an operator
 * @param subject   the user name, or the client id for a backend service
 * @param fhirUser  e.g. {@code Practitioner/123}; null when not a user or not known
 * @param patientId the patient in context (patient/ scopes apply to it); null when none
 */
public record SmartAccess(String clientId, String subject, String fhirUser, String patientId, SmartScopes scopes,
                          boolean operator) {

    /** What an ENGINEER signed in with basic auth may do on /fhir. */
    public static final SmartScopes OPERATOR_SCOPES = SmartScopes.parse("user/*.cruds");

    public static Optional<SmartAccess> of(Authentication authentication) {
        if (authentication == null || !authentication.isAuthenticated()) {
            return Optional.empty();
        }
        if (authentication instanceof JwtAuthenticationToken token) {
            Jwt jwt = token.getToken();
            return Optional.of(new SmartAccess(jwt.getClaimAsString(SmartClaims.CLIENT_ID), jwt.getSubject(),
                    jwt.getClaimAsString(SmartClaims.FHIR_USER), jwt.getClaimAsString(SmartClaims.PATIENT),
                    SmartScopes.parse(jwt.getClaimAsString(SmartClaims.SCOPE)), false));
        }
        boolean engineer = authentication.getAuthorities().stream()
                .anyMatch(a -> a.getAuthority().equals("ROLE_" + SecurityConfig.ENGINEER));
        if (engineer) {
            return Optional.of(new SmartAccess(null, authentication.getName(), null, null, OPERATOR_SCOPES, true));
        }
        return Optional.empty();
    }

    /** The access of the request being served on this thread. */
    public static Optional<SmartAccess> current() {
        return of(SecurityContextHolder.getContext().getAuthentication());
    }

    /** The access of a request (Spring Security's request wrapper exposes the Authentication as principal). */
    public static Optional<SmartAccess> from(HttpServletRequest request) {
        Principal principal = request == null ? null : request.getUserPrincipal();
        return principal instanceof Authentication authentication ? of(authentication) : current();
    }

    public boolean permits(ScopeContext context, String resourceType, Permission permission) {
        return scopes.permits(context, resourceType, permission);
    }

    /**
     * True if a user/ or system/ scope lets {@code permission} on {@code resourceType}: on any instance, whatever
     * patient it is about (query narrowing aside).
     */
    public boolean permitsAnyInstance(String resourceType, Permission permission) {
        return scopes.permits(ScopeContext.USER, resourceType, permission)
                || scopes.permits(ScopeContext.SYSTEM, resourceType, permission);
    }

    /**
     * True if a patient/ scope lets {@code permission} on {@code resourceType}, within the compartment of the
     * patient in context; never without a patient in context.
     */
    public boolean permitsForPatient(String resourceType, Permission permission) {
        return hasPatient() && scopes.permits(ScopeContext.PATIENT, resourceType, permission);
    }

    public boolean hasPatient() {
        return patientId != null;
    }

    /**
     * A backend service that may run bulk {@code $export}: a token (never an operator's basic auth) with a
     * {@code system/} read or search scope. SMART Bulk Data Access IG 2.0 §Authorization: export is for backend
     * services authorized with SMART Backend Services, which grants {@code system/} scopes.
     */
    public boolean mayExport() {
        return !operator && clientId != null && scopes.resourceScopes().stream().anyMatch(scope ->
                scope.context() == ScopeContext.SYSTEM && (scope.permissions().contains(Permission.READ)
                        || scope.permissions().contains(Permission.SEARCH)));
    }
}
