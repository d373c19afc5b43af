-- SMART on FHIR authorization server: dynamically registered clients, used client-assertion ids, authorization
-- codes and refresh tokens. Codes and refresh tokens are kept only as SHA-256 hashes, never the values.

-- RFC 7591 registrations (clients of config/smart.yaml are not stored).
CREATE TABLE smart_client (
    client_id      text        PRIMARY KEY,
    client_name    text,
    client_type    text        NOT NULL,             -- public, confidential-asymmetric
    redirect_uris  text        NOT NULL DEFAULT '',  -- space separated
    jwks           text,                             -- inline JWKS (public keys), JSON
    jwks_uri       text,
    scope          text        NOT NULL,             -- the most the client may be granted
    metadata       text        NOT NULL,             -- the registration response, JSON
    registered_by  text        NOT NULL,             -- engineer user name, 'initial-access-token' or 'open'
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Client assertion jti already used, kept until the assertion's exp (replay refused).
CREATE TABLE smart_used_jti (
    client_id   text        NOT NULL,
    jti         text        NOT NULL,
    expires_at  timestamptz NOT NULL,
    PRIMARY KEY (client_id, jti)
);
CREATE INDEX smart_used_jti_expires_idx ON smart_used_jti (expires_at);

-- Authorization codes (single use, short lived).
CREATE TABLE smart_authorization_code (
    code_hash       text        PRIMARY KEY,
    client_id       text        NOT NULL,
    redirect_uri    text        NOT NULL,
    code_challenge  text        NOT NULL,           -- PKCE S256
    scope           text        NOT NULL,
    username        text        NOT NULL,
    fhir_user       text,
    patient         text,
    expires_at      timestamptz NOT NULL,
    used_at         timestamptz
);
CREATE INDEX smart_authorization_code_expires_idx ON smart_authorization_code (expires_at);

-- Refresh tokens (rotated: each is used once).
CREATE TABLE smart_refresh_token (
    token_hash  text        PRIMARY KEY,
    client_id   text        NOT NULL,
    scope       text        NOT NULL,
    username    text        NOT NULL,
    fhir_user   text,
    patient     text,
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX smart_refresh_token_expires_idx ON smart_refresh_token (expires_at);
