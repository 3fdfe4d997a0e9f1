"""The web application's storage: agencies, users, report files and versions, the
audit log (SQLAlchemy 2 models, Alembic migrations).  Never imports ``xxgk.web``."""
