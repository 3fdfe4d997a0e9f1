"""Alembic migrations of the xxgk database (run by ``xxgk.store.db.upgrade``)."""
