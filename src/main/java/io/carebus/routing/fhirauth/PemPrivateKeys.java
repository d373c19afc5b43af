package io.carebus.routing.fhirauth;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads a PEM-encoded PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, RFC 7468 §10), RSA or EC. */
final class PemPrivateKeys {

    private PemPrivateKeys() {
    }

    /** @throws IllegalArgumentException saying what is wrong, never quoting the key */
    static PrivateKey read(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no private key is set");
        }
        String text = pem.replace("\\n", "\n").trim();
        if (text.contains("BEGIN RSA PRIVATE KEY") || text.contains("BEGIN EC PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key is PKCS#1/SEC1, not PKCS#8: convert it with"
                    + " openssl pkcs8 -topk8 -nocrypt");
        }
        if (text.contains("ENCRYPTED PRIVATE KEY")) {
            throw new IllegalArgumentException("the private key is encrypted: give it unencrypted PKCS#8");
        }
        int begin = text.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = text.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the private key is not a PEM PKCS#8 key (-----BEGIN PRIVATE KEY-----)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + "-----BEGIN PRIVATE KEY-----".length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the private key's PEM is not valid base64");
        }
        for (String algorithm : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm's key: try the next
            }
        }
        throw new IllegalArgumentException("the private key is neither an RSA nor an EC PKCS#8 key");
    }
}
