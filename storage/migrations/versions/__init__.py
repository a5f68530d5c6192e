"""Migration revisions, oldest first by number; Alembic loads them by path."""
