"""Database engine creation (in-memory SQLite by default, any SQLAlchemy URL otherwise): every session has
a connection and a transaction of its own, so that no reader can end a writer's transaction."""

from __future__ import annotations

import sqlite3
import uuid
from typing import Any

from sqlalchemy import Connection, Engine, event
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.pool import QueuePool
from sqlmodel import SQLModel, create_engine

import app.models.table  # noqa: F401  - registers the tables on SQLModel.metadata

# How long a SQLite statement waits for another connection's lock (a reload's commit) before failing.
SQLITE_BUSY_SECONDS = 30.0
MEMORY_URLS = ("sqlite://", "sqlite:///:memory:")
# How long connecting to PostgreSQL may take before the attempt counts as a failure.
CONNECT_TIMEOUT_SECONDS = 5
# What a database that is down or unreachable raises (connection refused or lost, timeouts).
UNAVAILABLE = (OperationalError, InterfaceError)


class DatabaseUnavailable(Exception):
    """The database cannot be reached now; what is served from memory goes on being served."""


def unavailable(err: Exception) -> str:
    """The driver's own words for why the database cannot be reached, on one line."""
    cause = getattr(err, "orig", None) or err
    return " ".join(str(cause).split())[:300]


def make_engine(url: str) -> Engine:
    if url in MEMORY_URLS:
        engine = _memory_engine()
    elif url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS})
    else:
        engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": CONNECT_TIMEOUT_SECONDS})
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    SQLModel.metadata.create_all(engine)
    return engine


def _memory_engine() -> Engine:
    """An in-memory database that many connections share: SQLite's `memdb` VFS, with SQLite's own locking
    between them (one shared connection, as before, let a request's rollback abort a reload's writes). One
    anchor connection keeps the database alive while the pool opens and closes the others."""
    uri = f"file:/hairkb-{uuid.uuid4().hex}?vfs=memdb"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=SQLITE_BUSY_SECONDS)

    anchor = connect()
    engine = create_engine("sqlite://", creator=connect, poolclass=QueuePool, pool_size=8, max_overflow=40)
    event.listen(engine, "engine_disposed", lambda _engine: anchor.close())
    return engine


def _sqlite_connect(dbapi_connection: Any, _record: object) -> None:
    # The driver's own transaction handling begins transactions only before writes, so reads would not be
    # isolated; `_sqlite_begin` says BEGIN instead, as SQLAlchemy's documentation recommends.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _sqlite_begin(connection: Connection) -> None:
    # A writer takes the write lock at once, so that two writers queue instead of failing half-way.
    immediate = connection.get_execution_options().get("write", False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
