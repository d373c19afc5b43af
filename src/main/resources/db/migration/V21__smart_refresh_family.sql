-- Refresh tokens of one sign-in share a family (the authorization code's hash): when a used refresh token or a used
-- code comes back, the whole family is revoked (RFC 9700 §4.14.2, RFC 6749 §4.1.2).
ALTER TABLE smart_refresh_token ADD COLUMN family text;
CREATE INDEX smart_refresh_token_family_idx ON smart_refresh_token (family);
