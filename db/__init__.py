"""The database layer: connection, migrations and every SQL query the app runs."""
from db.connection import DEFAULT_PATH, connect, transaction

__all__ = ["DEFAULT_PATH", "connect", "transaction"]
