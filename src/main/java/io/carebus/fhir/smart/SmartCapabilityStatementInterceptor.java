package io.carebus.fhir.smart;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.Extension;
import org.hl7.fhir.r4.model.UriType;

/**
 * Declares SMART in the capability statement (SMART App Launch 2.x §Conformance: the
 * {@code restful-security-service} SMART-on-FHIR code and the oauth-uris extension).
 */
@Interceptor
public class SmartCapabilityStatementInterceptor {

    static final String OAUTH_URIS = "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris";

    private final SmartUrls urls;

    public SmartCapabilityStatementInterceptor(SmartUrls urls) {
        this.urls = urls;
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void declareSmart(IBaseConformance conformance) {
        if (!(conformance instanceof CapabilityStatement statement)) {
            return;
        }
        CapabilityStatement.CapabilityStatementRestSecurityComponent security = statement.getRestFirstRep().getSecurity();
        security.addService().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/restful-security-service")
                .setCode("SMART-on-FHIR");
        security.setDescription("OAuth2 using SMART on FHIR; discovery at .well-known/smart-configuration");
        Extension oauth = security.addExtension().setUrl(OAUTH_URIS);
        oauth.addExtension("token", new UriType(urls.tokenEndpoint()));
        oauth.addExtension("authorize", new UriType(urls.authorizeEndpoint()));
        oauth.addExtension("register", new UriType(urls.registrationEndpoint()));
        oauth.addExtension("introspect", new UriType(urls.introspectionEndpoint()));
    }
}
