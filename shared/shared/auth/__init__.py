"""Access-token verification and the FastAPI dependencies built on it."""
