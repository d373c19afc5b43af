package io.carebus.fhir.smart;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;

/**
 * The server's public URLs: from carebus.smart.base-url, or, when it is blank (development), on
 * {@code http://localhost:<the web server's port><context path>}. Never from the request: the token endpoint derived
 * here is the {@code aud} a client assertion must name (RFC 7523 §3), and a Host header chosen by the caller must
 * not choose which {@code aud} is accepted.
 */
public class SmartUrls implements ApplicationListener<WebServerInitializedEvent> {

    public static final String AUTHORIZE = "/auth/authorize";
    public static final String TOKEN = "/auth/token";
    public static final String REGISTER = "/auth/register";
    public static final String INTROSPECT = "/auth/introspect";
    public static final String JWKS = "/auth/jwks";
    public static final String FHIR = "/fhir";

    private static final Logger log = LoggerFactory.getLogger(SmartUrls.class);

    private final String configured;
    private final String configuredFhirBase;
    private final String contextPath;
    private volatile String localhost;

    /**
     * @param baseUrl     carebus.smart.base-url (blank: localhost on the web server's port)
     * @param fhirBaseUrl carebus.fhir.base-url, the FHIR server's own public base (blank: base URL + /fhir)
     * @param contextPath server.servlet.context-path (blank: none)
     */
    public SmartUrls(String baseUrl, String fhirBaseUrl, String contextPath) {
        this.configured = blank(baseUrl) ? null : strip(baseUrl.trim());
        this.configuredFhirBase = blank(fhirBaseUrl) ? null : strip(fhirBaseUrl.trim());
        this.contextPath = blank(contextPath) ? "" : strip(contextPath.trim());
    }

    /** The main web server's port, once it listens (the management server, on its own port, is not it). */
    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (configured != null || event.getApplicationContext().getServerNamespace() != null) {
            return;
        }
        localhost = "http://localhost:" + event.getWebServer().getPort() + contextPath;
        log.warn("carebus.smart.base-url is not set: SMART URLs (issuer, token endpoint, FHIR base) assume {}; set "
                + "CAREBUS_SMART_BASE_URL when clients reach the server by another name", localhost);
    }

    public String base() {
        if (configured != null) {
            return configured;
        }
        String local = localhost;
        if (local == null) {
            throw new IllegalStateException("SMART URLs are not known before the web server starts");
        }
        return local;
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

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
