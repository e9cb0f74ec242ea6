"""hairkb: a curated, citation-grounded knowledge base about hair loss, served as a REST API."""
