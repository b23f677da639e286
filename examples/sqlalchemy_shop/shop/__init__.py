"""The shop's SQLAlchemy models (see shop.models)."""
