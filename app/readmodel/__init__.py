"""One data version, read-only and without HTTP: the snapshot, relations, pages, lists, search, suggest,
JSON-LD and bibliographies."""
