"""Alembic migrations of the archive; run by :func:`storage.migrate.upgrade` on every open.

A package (not a loose folder) so that an installed vnnews ships them. Migrations are only
ever appended: a released revision is never edited, since archives out there already ran it.
"""
