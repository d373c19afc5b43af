package io.carebus.support;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * The SMART clients and users the engine tests are configured with (see EngineTestBase): a backend service with an
 * RSA (RS384) and an EC P-384 (ES384) key in its inline JWKS, a second backend service (RS384), a public app, a
 * patient user and a practitioner user.
 */
public final class SmartTestClients {

    public static final String BACKEND = "test-backend";
    public static final String BACKEND_SCOPES = "system/*.rs";
    public static final RSAKey BACKEND_RSA_KEY = rsa("backend-rsa");
    public static final ECKey BACKEND_EC_KEY = ec("backend-ec");

    /** Another backend service with the same scopes: what one backend exports is not the other's. */
    public static final String OTHER_BACKEND = "test-backend-other";
    public static final RSAKey OTHER_BACKEND_RSA_KEY = rsa("other-backend-rsa");

    /**
     * The backend service a smart-backend FHIR destination signs in as (RSA and EC P-384 keys in its JWKS), with write
     * scopes; {@link #STRANGER_KEY} is in no JWKS.
     */
    public static final String FHIR_DESTINATION = "fhir-destination";
    public static final String FHIR_DESTINATION_SCOPES = "system/*.cruds";
    public static final RSAKey FHIR_DESTINATION_RSA_KEY = rsa("fhir-destination-rsa");
    public static final ECKey FHIR_DESTINATION_EC_KEY = ec("fhir-destination-ec");
    public static final RSAKey STRANGER_KEY = rsa("fhir-destination-rsa");

    public static final String APP = "test-app";
    public static final String APP_REDIRECT = "http://localhost/app/callback";
    public static final String APP_SCOPES = "launch/patient patient/*.cruds user/*.cruds offline_access online_access";

    public static final String PATIENT_USER = "pat";
    public static final String PATIENT_ID = "smart-pat-1";
    public static final String PRACTITIONER_USER = "doc";
    public static final String USER_PASSWORD = "smart-user-test-secret";
    public static final String REGISTRATION_TOKEN = "smart-registration-test-token";

    private SmartTestClients() {
    }

    public static String backendJwks() {
        return new JWKSet(java.util.List.of(BACKEND_RSA_KEY.toPublicJWK(), BACKEND_EC_KEY.toPublicJWK()))
                .toString(true);
    }

    public static String otherBackendJwks() {
        return new JWKSet(OTHER_BACKEND_RSA_KEY.toPublicJWK()).toString(true);
    }

    public static String fhirDestinationJwks() {
        return new JWKSet(java.util.List.of(FHIR_DESTINATION_RSA_KEY.toPublicJWK(),
                FHIR_DESTINATION_EC_KEY.toPublicJWK())).toString(true);
    }

    /** The key's private part as PEM PKCS#8, as the environment gives it to a destination. */
    public static String pkcs8Pem(com.nimbusds.jose.jwk.AsymmetricJWK key) {
        try {
            return "-----BEGIN PRIVATE KEY-----\n"
                    + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'})
                            .encodeToString(key.toPrivateKey().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    public static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_384).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }
}
