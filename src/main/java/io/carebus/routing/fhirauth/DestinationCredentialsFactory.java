package io.carebus.routing.fhirauth;

import java.net.URI;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Locale;
import java.util.Optional;

import io.carebus.config.CarebusProperties.DestinationAuth;

/**
 * Makes a FHIR destination's credentials from its {@code auth} settings, checked at start-up: a setting missing or a
 * key that cannot be read stops the start with a message naming the destination and the setting (never the secret).
 */
public final class DestinationCredentialsFactory {

    private DestinationCredentialsFactory() {
    }

    /** Empty for {@code auth.type: none}. */
    public static Optional<DestinationCredentials> create(String destination, DestinationAuth auth) {
        String type = auth.getType() == null ? "none" : auth.getType().trim().toLowerCase(Locale.ROOT);
        return switch (type) {
            case "", "none" -> Optional.empty();
            case "basic" -> Optional.of(basic(destination, auth));
            case "smart-backend" -> Optional.of(smartBackend(destination, auth));
            default -> throw invalid(destination, "auth.type", "is " + auth.getType()
                    + "; it must be none, basic or smart-backend");
        };
    }

    private static DestinationCredentials basic(String destination, DestinationAuth auth) {
        require(destination, "auth.username", auth.getUsername());
        require(destination, "auth.password", auth.getPassword());
        return new BasicCredentials(auth.getUsername(), auth.getPassword());
    }

    private static DestinationCredentials smartBackend(String destination, DestinationAuth auth) {
        require(destination, "auth.token-url", auth.getTokenUrl());
        require(destination, "auth.client-id", auth.getClientId());
        require(destination, "auth.scope", auth.getScope());
        URI tokenUrl;
        try {
            tokenUrl = URI.create(auth.getTokenUrl().trim());
        } catch (IllegalArgumentException e) {
            throw invalid(destination, "auth.token-url", "is not a URL");
        }
        if (!"https".equalsIgnoreCase(tokenUrl.getScheme()) && !"http".equalsIgnoreCase(tokenUrl.getScheme())) {
            throw invalid(destination, "auth.token-url", "is not an http(s) URL");
        }
        PrivateKey key;
        ClientAssertionSigner signer;
        try {
            key = PemPrivateKeys.read(auth.getPrivateKey());
            signer = new ClientAssertionSigner(auth.getClientId().trim(), tokenUrl.toString(), auth.getKeyId(), key,
                    Clock.systemUTC());
        } catch (IllegalArgumentException e) {
            throw invalid(destination, "auth.private-key", "cannot be used: " + e.getMessage());
        }
        return new SmartBackendCredentials(destination, tokenUrl, auth.getScope().trim(), signer, Clock.systemUTC());
    }

    private static void require(String destination, String setting, String value) {
        if (value == null || value.isBlank()) {
            throw invalid(destination, setting, "is not set");
        }
    }

    private static IllegalStateException invalid(String destination, String setting, String what) {
        return new IllegalStateException("Destination " + destination + ": carebus.destinations." + destination + "."
                + setting + " " + what);
    }
}
