"""MkDocs hooks of the minhbach theme (placeholder)."""
