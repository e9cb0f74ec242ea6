"""The schema of everything: YAML records and their vocabularies, entity kinds, the knowledge base, SQL
tables and the public response models."""
