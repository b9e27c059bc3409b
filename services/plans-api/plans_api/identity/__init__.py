"""Identity: accounts, API clients, tokens, JWKS (prefix /api/auth/v1)."""
