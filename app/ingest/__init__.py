"""Data in, with positions: YAML reading under one set of refusal rules, validation, and the store."""
