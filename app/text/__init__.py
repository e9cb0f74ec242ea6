"""Curated-text primitives shared by ingest and the read model: folding and citation markers."""
