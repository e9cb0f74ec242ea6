"""HTTP without YAML: answering from a generation (respond), formats and negotiation, per-version caches,
middleware and the problem+json errors."""
