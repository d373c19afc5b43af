package io.carebus.fhir.smart;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** carebus.smart.*: the SMART on FHIR authorization server (defaults in config/application.yaml, clients and users in config/smart.yaml). */
@ConfigurationProperties(prefix = "carebus.smart")
public class SmartProperties {

    /** Longest access-token life allowed: SMART App Launch 2.x §Backend Services recommends no more than five minutes. */
    public static final Duration MAX_ACCESS_TOKEN_LIFETIME = Duration.ofMinutes(5);

    /**
     * Public base URL of this server (scheme, host, port, no trailing slash), e.g. https://carebus.example.org. Token
     * endpoint, issuer and the FHIR base (audience) are derived from it. Blank: http://localhost on the web server's
     * port (development; never from the request's Host header).
     */
    private String baseUrl = "";
    /** The server's token signing key: a private JWK (RSA or EC) or an RSA PKCS#8 PEM. Blank: a development key under the data dir. */
    private String signingKey = "";
    private Duration accessTokenLifetime = MAX_ACCESS_TOKEN_LIFETIME;
    private Duration authorizationCodeLifetime = Duration.ofSeconds(60);
    /** Life of a refresh token granted with offline_access (each refresh rotates it and restarts this). */
    private Duration offlineRefreshLifetime = Duration.ofDays(90);
    /** Life of the sign-in behind an online_access refresh token: refreshing never extends it. */
    private Duration onlineRefreshLifetime = Duration.ofHours(8);
    /** How long a client's JWKS fetched from its jwks_uri is cached. */
    private Duration jwksCacheTtl = Duration.ofMinutes(5);
    private Duration jwksFetchTimeout = Duration.ofSeconds(5);
    private Registration registration = new Registration();
    /** Clients by client_id. */
    private Map<String, Client> clients = new LinkedHashMap<>();
    /** Users who may sign in on the login page, by user name. */
    private Map<String, User> users = new LinkedHashMap<>();

    public static class Registration {
        /** Lets anyone register (RFC 7591 open registration), limited to open-scopes. Off by default. */
        private boolean open = false;
        /** RFC 7591 §3 initial access token (Bearer) that lets a registration ask any scope. Blank: only ENGINEER basic auth. */
        private String initialAccessToken = "";
        /** The most an anonymous registration may be granted when open is true. */
        private List<String> openScopes = new ArrayList<>(List.of(
                "launch/patient", "patient/*.rs", "patient/*.read", "offline_access", "online_access"));

        public boolean isOpen() { return open; }
        public void setOpen(boolean open) { this.open = open; }
        public String getInitialAccessToken() { return initialAccessToken; }
        public void setInitialAccessToken(String t) { this.initialAccessToken = t; }
        public List<String> getOpenScopes() { return openScopes; }
        public void setOpenScopes(List<String> openScopes) { this.openScopes = openScopes; }
    }

    public static class Client {
        private String name;
        /** public or confidential-asymmetric */
        private String type = "public";
        private List<String> redirectUris = new ArrayList<>();
        /** Inline JWKS (JSON, public keys only). */
        private String jwks;
        private String jwksUri;
        /** Scopes the client may be granted (space separated). */
        private String scopes = "";

        public String getName() { return name; }
        public void setName(String name) { this.name = name; }
        public String getType() { return type; }
        public void setType(String type) { this.type = type; }
        public List<String> getRedirectUris() { return redirectUris; }
        public void setRedirectUris(List<String> redirectUris) { this.redirectUris = redirectUris; }
        public String getJwks() { return jwks; }
        public void setJwks(String jwks) { this.jwks = jwks; }
        public String getJwksUri() { return jwksUri; }
        public void setJwksUri(String jwksUri) { this.jwksUri = jwksUri; }
        public String getScopes() { return scopes; }
        public void setScopes(String scopes) { this.scopes = scopes; }
    }

    public static class User {
        /** From the environment only; blank: generated and logged once at start-up (development). */
        private String password;
        /** FHIR resource of the user: Patient/123, Practitioner/abc, RelatedPerson/x. */
        private String fhirUser;
        /** Patient id for the launch/patient context; a patient user defaults to their own. */
        private String patient;

        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public String getFhirUser() { return fhirUser; }
        public void setFhirUser(String fhirUser) { this.fhirUser = fhirUser; }
        public String getPatient() { return patient; }
        public void setPatient(String patient) { this.patient = patient; }
    }

    public String getBaseUrl() { return baseUrl; }
    public void setBaseUrl(String baseUrl) { this.baseUrl = baseUrl; }
    public String getSigningKey() { return signingKey; }
    public void setSigningKey(String signingKey) { this.signingKey = signingKey; }
    public Duration getAccessTokenLifetime() { return accessTokenLifetime; }
    public void setAccessTokenLifetime(Duration d) { this.accessTokenLifetime = d; }
    public Duration getAuthorizationCodeLifetime() { return authorizationCodeLifetime; }
    public void setAuthorizationCodeLifetime(Duration d) { this.authorizationCodeLifetime = d; }
    public Duration getOfflineRefreshLifetime() { return offlineRefreshLifetime; }
    public void setOfflineRefreshLifetime(Duration d) { this.offlineRefreshLifetime = d; }
    public Duration getOnlineRefreshLifetime() { return onlineRefreshLifetime; }
    public void setOnlineRefreshLifetime(Duration d) { this.onlineRefreshLifetime = d; }
    public Duration getJwksCacheTtl() { return jwksCacheTtl; }
    public void setJwksCacheTtl(Duration d) { this.jwksCacheTtl = d; }
    public Duration getJwksFetchTimeout() { return jwksFetchTimeout; }
    public void setJwksFetchTimeout(Duration d) { this.jwksFetchTimeout = d; }
    public Registration getRegistration() { return registration; }
    public void setRegistration(Registration registration) { this.registration = registration; }
    public Map<String, Client> getClients() { return clients; }
    public void setClients(Map<String, Client> clients) { this.clients = clients; }
    public Map<String, User> getUsers() { return users; }
    public void setUsers(Map<String, User> users) { this.users = users; }
}
