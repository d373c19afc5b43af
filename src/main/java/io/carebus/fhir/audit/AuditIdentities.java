package io.carebus.fhir.audit;

import java.lang.reflect.Method;
import java.util.Map;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who made a FHIR request, for the AuditEvent: the user is Spring Security's authenticated name; the client is the
 * {@code client_id} claim of an OAuth2 bearer token (SMART on FHIR), absent for a basic-auth user.
 */
public class AuditIdentities implements IBalpAuditContextServices {

    /** AuditEvent.agent.who.identifier.system (and meta.tag system) of the user's name. */
    public static final String USER_SYSTEM = "urn:carebus:audit:user";
    /** AuditEvent.agent.who.identifier.system (and meta.tag system) of the OAuth2 client id. */
    public static final String CLIENT_SYSTEM = "urn:carebus:audit:client";

    @Override
    public Reference getAgentUserWho(RequestDetails request) {
        String user = user();
        Reference who = new Reference().setDisplay(user);
        who.getIdentifier().setSystem(USER_SYSTEM).setValue(user);
        return who;
    }

    @Override
    public Reference getAgentClientWho(RequestDetails request) {
        Reference who = new Reference();
        String client = client();
        if (client != null) {
            who.getIdentifier().setSystem(CLIENT_SYSTEM).setValue(client);
        }
        return who;
    }

    /** {@code Patient/123}, not the absolute URL: a reference into this server, searchable by {@code patient}. */
    @Override
    public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType id) {
        String type = id.hasResourceType() ? id.getResourceType()
                : request.getFhirContext().getResourceType(resource);
        return type + "/" + id.getIdPart();
    }

    static String user() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || authentication.getName() == null ? "anonymous" : authentication.getName();
    }

    static String client() {
        Object clientId = tokenAttributes(SecurityContextHolder.getContext().getAuthentication()).get("client_id");
        return clientId == null ? null : clientId.toString();
    }

    /**
     * The claims of an OAuth2 token authentication (Spring Security's {@code JwtAuthenticationToken} and
     * {@code BearerTokenAuthentication} both expose {@code getTokenAttributes()}), read without tying this package
     * to the resource-server library; empty for any other authentication.
     */
    static Map<?, ?> tokenAttributes(Authentication authentication) {
        if (authentication == null) {
            return Map.of();
        }
        try {
            Method method = authentication.getClass().getMethod("getTokenAttributes");
            return method.invoke(authentication) instanceof Map<?, ?> claims ? claims : Map.of();
        } catch (ReflectiveOperationException | RuntimeException e) {
            return Map.of();
        }
    }
}
