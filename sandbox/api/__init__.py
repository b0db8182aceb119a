"""The OpenAI-compatible API: another thin front of the gateway, identified by personal API keys."""
