"""Request and response shapes of the HTTP API (pydantic), separate from the tables."""
