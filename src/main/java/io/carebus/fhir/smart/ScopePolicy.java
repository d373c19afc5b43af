package io.carebus.fhir.smart;

import java.util.ArrayList;
import java.util.List;

/** Which of the requested scopes are granted, for each kind of grant. */
final class ScopePolicy {

    private ScopePolicy() {
    }

    /**
     * client_credentials: only system/ resource scopes, every one within the client's registration; anything else
     * is refused whole with invalid_scope (RFC 6749 §5.2), so a backend never works with less than it thinks.
     */
    static SmartScopes backend(SmartClient client, String scope) {
        SmartScopes requested = SmartScopes.parse(scope);
        if (requested.isEmpty()) {
            throw OAuthError.invalidScope("scope is required");
        }
        List<String> refused = new ArrayList<>();
        for (String s : requested.all()) {
            boolean system = SmartScope.parse(s).map(p -> p.context() == ScopeContext.SYSTEM).orElse(false);
            if (!system || !client.scopes().allows(s)) {
                refused.add(s);
            }
        }
        if (!refused.isEmpty()) {
            throw OAuthError.invalidScope("scopes not allowed for this client: " + String.join(" ", refused));
        }
        return requested;
    }

    /**
     * Authorization code: the requested scopes the client is registered for and the user may hold (a patient user
     * gets no user/ scopes; nobody gets system/ scopes). Others, e.g. openid and fhirUser (no OpenID Connect here),
     * are left out of the grant (RFC 6749 §3.3), which the token response's scope shows. Malformed scopes or
     * nothing left: invalid_scope.
     */
    static SmartScopes launch(SmartClient client, SmartUsers.SmartUser user, String scope) {
        SmartScopes requested = SmartScopes.parse(scope);
        if (!requested.malformed().isEmpty()) {
            throw OAuthError.invalidScope("malformed scopes: " + String.join(" ", requested.malformed()));
        }
        SmartScopes granted = requested.filter(s -> client.scopes().allows(s) && supported(s, user));
        if (granted.resourceScopes().isEmpty()) {
            throw OAuthError.invalidScope("none of the requested resource scopes can be granted to this client");
        }
        return granted;
    }

    private static boolean supported(String s, SmartUsers.SmartUser user) {
        return SmartScope.parse(s).map(p -> switch (p.context()) {
            case PATIENT -> true;
            case USER -> user == null || user.choosesPatient();
            case SYSTEM -> false;
        }).orElse(s.equals(SmartScopes.LAUNCH_PATIENT) || s.equals(SmartScopes.OFFLINE_ACCESS)
                || s.equals(SmartScopes.ONLINE_ACCESS));
    }

    /** True if the grant needs a patient in context: launch/patient or any patient/ scope. */
    static boolean needsPatient(SmartScopes scopes) {
        return scopes.contains(SmartScopes.LAUNCH_PATIENT) || scopes.hasContext(ScopeContext.PATIENT);
    }
}
