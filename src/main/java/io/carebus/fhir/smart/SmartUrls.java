package io.carebus.fhir.smart;

import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The server's public URLs: from carebus.smart.base-url, or, when it is blank (development), from the current
 * request. Production sets the base URL: client assertions are checked against the token endpoint derived here.
 */
public class SmartUrls {

    public static final String AUTHORIZE = "/auth/authorize";
    public static final String TOKEN = "/auth/token";
    public static final String REGISTER = "/auth/register";
    public static final String INTROSPECT = "/auth/introspect";
    public static final String JWKS = "/auth/jwks";
    public static final String FHIR = "/fhir";

    private final String configured;
    private final String configuredFhirBase;

    /**
     * @param baseUrl     carebus.smart.base-url (blank: from the request)
     * @param fhirBaseUrl carebus.fhir.base-url, the FHIR server's own public base (blank: base URL + /fhir)
     */
    public SmartUrls(String baseUrl, String fhirBaseUrl) {
        this.configured = baseUrl == null || baseUrl.isBlank() ? null : strip(baseUrl.trim());
        this.configuredFhirBase = fhirBaseUrl == null || fhirBaseUrl.isBlank() ? null : strip(fhirBaseUrl.trim());
    }

    public String base() {
        if (configured != null) {
            return configured;
        }
        return strip(ServletUriComponentsBuilder.fromCurrentContextPath().replaceQuery(null).build().toUriString());
    }

    /** Issuer of access tokens (iss). */
    public String issuer() { return base(); }
    /** The FHIR base URL: audience of access tokens, the {@code aud} an app sends to the authorize endpoint. */
    public String fhirBase() { return configuredFhirBase != null ? configuredFhirBase : base() + FHIR; }
    public String authorizeEndpoint() { return base() + AUTHORIZE; }
    /** RFC 7523 §3 / SMART Backend Services: the {@code aud} of a client assertion. */
    public String tokenEndpoint() { return base() + TOKEN; }
    public String registrationEndpoint() { return base() + REGISTER; }
    public String introspectionEndpoint() { return base() + INTROSPECT; }
    public String jwksUri() { return base() + JWKS; }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
