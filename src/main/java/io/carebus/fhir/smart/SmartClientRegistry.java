package io.carebus.fhir.smart;

import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.springframework.jdbc.core.JdbcTemplate;

/** The clients: those of config/smart.yaml (carebus.smart.clients) and those registered by RFC 7591 (PostgreSQL). */
public class SmartClientRegistry {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, SmartClient> configured = new LinkedHashMap<>();
    private final JdbcTemplate jdbc;

    public SmartClientRegistry(SmartProperties properties, JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        properties.getClients().forEach((id, c) -> configured.put(id, fromConfig(id, c)));
    }

    private static SmartClient fromConfig(String id, SmartProperties.Client c) {
        SmartClient client = new SmartClient(id, c.getName() == null ? id : c.getName(), SmartClient.Type.of(c.getType()),
                c.getRedirectUris(), blankToNull(c.getJwks()), blankToNull(c.getJwksUri()), SmartScopes.parse(c.getScopes()));
        try {
            check(client);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("carebus.smart.clients." + id + ": " + e.getMessage(), e);
        }
        return client;
    }

    /** The rules every client meets, wherever it is registered. */
    static void check(SmartClient client) {
        if (client.isPublic()) {
            if (client.redirectUris().isEmpty()) {
                throw new IllegalArgumentException("a public client needs redirect_uris");
            }
        } else {
            if ((client.jwks() == null) == (client.jwksUri() == null)) {
                // RFC 7591 §2: jwks_uri and jwks MUST NOT both be present
                throw new IllegalArgumentException("a confidential-asymmetric client needs exactly one of jwks, jwks_uri");
            }
            if (client.jwks() != null) {
                publicKeys(client.jwks());
            }
        }
        if (!client.scopes().malformed().isEmpty()) {
            throw new IllegalArgumentException("malformed scopes " + client.scopes().malformed());
        }
    }

    /**
     * Parses an inline JWKS and refuses private keys in it, and keys without {@code kid}: SMART client
     * authentication selects the key by the assertion's kid header.
     */
    static JWKSet publicKeys(String jwks) {
        try {
            JWKSet set = JWKSet.parse(jwks);
            if (set.getKeys().isEmpty()) {
                throw new IllegalArgumentException("jwks has no keys");
            }
            for (JWK key : set.getKeys()) {
                if (key.isPrivate()) {
                    throw new IllegalArgumentException("jwks must hold public keys only");
                }
                if (key.getKeyID() == null || key.getKeyID().isBlank()) {
                    throw new IllegalArgumentException("every key of jwks needs a kid");
                }
            }
            return set;
        } catch (ParseException e) {
            throw new IllegalArgumentException("jwks is not a JWK set: " + e.getMessage());
        }
    }

    public Optional<SmartClient> find(String clientId) {
        if (clientId == null || clientId.isBlank()) {
            return Optional.empty();
        }
        SmartClient client = configured.get(clientId);
        if (client != null) {
            return Optional.of(client);
        }
        List<SmartClient> rows = jdbc.query(
                "SELECT client_id, client_name, client_type, redirect_uris, jwks, jwks_uri, scope, metadata FROM smart_client"
                        + " WHERE client_id = ?",
                (rs, n) -> new SmartClient(rs.getString(1), rs.getString(2), SmartClient.Type.of(rs.getString(3)),
                        splitSpaces(rs.getString(4)), rs.getString(5), rs.getString(6), SmartScopes.parse(rs.getString(7)),
                        registeredGrantTypes(rs.getString(8))),
                clientId);
        return rows.stream().findFirst();
    }

    /** Stores an RFC 7591 registration. */
    public void register(SmartClient client, String metadataJson, String registeredBy) {
        check(client);
        jdbc.update("INSERT INTO smart_client (client_id, client_name, client_type, redirect_uris, jwks, jwks_uri, scope, "
                        + "metadata, registered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                client.clientId(), client.name(), client.type().text(), String.join(" ", client.redirectUris()),
                client.jwks(), client.jwksUri(), client.scopes().toString(), metadataJson, registeredBy);
    }

    /** grant_types of the stored registration response (RFC 7591 §3.2.1), which always lists them. */
    private static List<String> registeredGrantTypes(String metadataJson) {
        try {
            List<String> grantTypes = new ArrayList<>();
            JSON.readTree(metadataJson).path("grant_types").forEach(g -> grantTypes.add(g.asText()));
            return grantTypes;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("smart_client.metadata is not JSON", e);
        }
    }

    private static List<String> splitSpaces(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
