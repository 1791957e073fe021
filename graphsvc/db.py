"""The database seam: the only module that imports the Neo4j driver.

Queries are loaded by name from ``cypher/<name>.cypher`` and always run with
parameters.  Reads and writes go through the driver's managed transactions
(``execute_query`` with a routing control, ``execute_read`` /
``execute_write``), which retry transient failures and route reads to
secondaries in a cluster.  A transaction function may therefore run more than
once: the queries it runs must be idempotent.
"""

from __future__ import annotations

import functools
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, TypeVar

import neo4j
from neo4j import GraphDatabase, RoutingControl
from neo4j.exceptions import (
    AuthError,
    ClientError,
    DatabaseUnavailable as _DriverDatabaseUnavailable,
    DriverError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from .settings import Settings

__all__ = [
    "Database",
    "DatabaseUnavailable",
    "ConstraintViolation",
    "QueryShapeError",
    "Tx",
    "cypher",
    "named_rows",
    "set_initial_password",
]

T = TypeVar("T")
Row = TypeVar("Row", bound=NamedTuple)

# The wheel carries cypher/ inside the package; a source checkout has it beside it.
_PACKAGED = Path(__file__).parent / "cypher"
CYPHER_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).parent.parent / "cypher"
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)*$")


class DatabaseUnavailable(Exception):
    """Neo4j cannot be reached (down, starting, or credentials refused)."""


class ConstraintViolation(Exception):
    """A write broke a uniqueness or existence constraint."""


class QueryShapeError(Exception):
    """A query's named columns are not the ones the code reads (a programming error)."""


_INCLUDE = re.compile(r"^// include ([a-z0-9_/]+)$", re.MULTILINE)


@functools.lru_cache(maxsize=None)
def cypher(name: str) -> str:
    """The text of ``cypher/<name>.cypher``, a line ``// include <other>`` replaced by
    that query's text (queries that end the same way share one tail)."""
    if not _NAME.match(name):
        raise ValueError(f"bad query name {name!r}")
    text = (CYPHER_DIR / f"{name}.cypher").read_text()
    return _INCLUDE.sub(lambda m: cypher(m.group(1)), text)


def _translate_errors(fn: Callable[..., T]) -> Callable[..., T]:
    """Turn driver failures into the two domain errors callers handle."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (ServiceUnavailable, SessionExpired, AuthError, _DriverDatabaseUnavailable) as exc:
            raise DatabaseUnavailable(str(exc)) from exc
        except TransientError as exc:
            # Retries were exhausted by the managed transaction.
            raise DatabaseUnavailable(str(exc)) from exc
        except ClientError as exc:
            if exc.code and "ConstraintValidationFailed" in exc.code:
                raise ConstraintViolation(exc.message or "") from exc
            raise

    return wrapper


class Tx:
    """A managed transaction that runs named queries."""

    def __init__(self, tx: neo4j.ManagedTransaction):
        self._tx = tx

    def run(self, name: str, **params: Any) -> list[dict]:
        """Every record of a named query, as dicts."""
        return [record.data() for record in self._tx.run(cypher(name), params)]

    def record(self, name: str, **params: Any) -> dict:
        """The one record of a query that collects its result into lists: a million
        rows decode many times faster as one list than as records.  Values are
        returned as decoded (``Record.data()`` would copy every nested list again)."""
        record = self._tx.run(cypher(name), params).single()
        return dict(zip(record.keys(), record.values()))

    def table(self, name: str, row: type[Row], **params: Any) -> list[Row]:
        """The rows of a query that collects them into one record (see :func:`named_rows`)."""
        return named_rows(name, self.record(name, **params), row)


def named_rows(name: str, record: dict, row: type[Row]) -> list[Row]:
    """The rows of query ``name``'s one record: ``rows``, a list per row, and
    ``columns``, their names.  Each row becomes a ``row`` named tuple; columns
    other than its fields raise QueryShapeError, so a .cypher file's column
    order is checked here rather than trusted by position."""
    if record["columns"] != list(row._fields):
        raise QueryShapeError(f"{name} returns columns {record['columns']}, not {list(row._fields)}")
    return [row(*values) for values in record["rows"]]


class Database:
    """One driver per process; named queries in managed transactions."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._database = settings.neo4j_database
        self._timeout = settings.query_timeout_s
        self._driver = self._connect()

    def _connect(self) -> neo4j.Driver:
        s = self._settings
        return GraphDatabase.driver(
            s.neo4j_uri,
            auth=(s.neo4j_user, s.neo4j_password),
            connection_timeout=5.0,
            connection_acquisition_timeout=10.0,
            max_transaction_retry_time=s.tx_retry_s,
            notifications_min_severity="OFF",
        )

    def store_replaced(self) -> None:
        """The store was rewritten offline (a first load): a new driver, because the
        old one's bookmarks name transactions the new store never had."""
        self._driver.close()
        self._driver = self._connect()

    def close(self) -> None:
        """Close the driver and its connections."""
        self._driver.close()

    @_translate_errors
    def ping(self) -> None:
        """Return when the server answers; DatabaseUnavailable when it does not."""
        self._driver.verify_connectivity()

    def _query(self, name: str, timeout: float | None) -> neo4j.Query:
        return neo4j.Query(cypher(name), timeout=timeout or self._timeout)

    @_translate_errors
    def read(self, name: str, timeout: float | None = None, **params: Any) -> list[dict]:
        """Run a read-only named query (routed to a reader in a cluster).

        Without the bookmark manager: per-request reads need not wait for
        causal chaining, which costs a round trip or more on every call.
        """
        records, _, _ = self._driver.execute_query(
            self._query(name, timeout),
            params,
            routing_=RoutingControl.READ,
            database_=self._database,
            bookmark_manager_=None,
        )
        return [r.data() for r in records]

    @_translate_errors
    def write(self, name: str, timeout: float | None = None, **params: Any) -> list[dict]:
        """Run a named query that writes, in its own retried transaction."""
        records, _, _ = self._driver.execute_query(
            self._query(name, timeout),
            params,
            routing_=RoutingControl.WRITE,
            database_=self._database,
        )
        return [r.data() for r in records]

    @_translate_errors
    def write_autocommit(self, name: str, timeout: float | None = None, **params: Any) -> None:
        """Run a named query that commits as it goes (``CALL ... IN TRANSACTIONS``): in
        auto-commit mode and not retried, so it must be safe to run again."""
        with self._session() as session:
            session.run(self._query(name, timeout), params).consume()

    def _session(self) -> neo4j.Session:
        return self._driver.session(database=self._database)

    @_translate_errors
    def read_tx(self, work: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run ``work(Tx, *args)`` in one retried read transaction."""
        unit = neo4j.unit_of_work(timeout=timeout or self._timeout)(lambda tx: work(Tx(tx), *args))
        with self._session() as session:
            return session.execute_read(unit)

    @contextmanager
    def lease(self, metadata: dict[str, str], timeout: float, lock: str | None = None, **params: Any) -> Iterator[None]:
        """Hold a transaction open carrying ``metadata`` while the block runs: others see
        it in ``SHOW TRANSACTIONS`` exactly as long as this process and its connection
        live, so a killed process or server ends it.  It writes nothing that lasts; with
        ``lock`` (a query that MERGEs a lock node) it holds that lock, so a second lease
        on the same lock waits for the first to end."""
        session = self._open_lease(metadata, timeout, lock, params)
        try:
            yield
        finally:
            try:
                session.close()  # rolls the empty transaction back
            except (DriverError, Neo4jError):
                pass  # the server ended it with the connection

    @_translate_errors
    def _open_lease(self, metadata: dict[str, str], timeout: float, lock: str | None, params: dict) -> neo4j.Session:
        session = self._session()
        tx = session.begin_transaction(metadata=metadata, timeout=timeout)
        tx.run(cypher(lock) if lock else "RETURN 1", params).consume()
        return session

    @_translate_errors
    def write_tx(self, work: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run ``work(Tx, *args)`` in one retried write transaction: all of it is
        stored, or (when it raises) none of it."""
        unit = neo4j.unit_of_work(timeout=timeout or self._timeout)(lambda tx: work(Tx(tx), *args))
        with self._session() as session:
            return session.execute_write(unit)


@_translate_errors
def set_initial_password(uri: str, user: str, default: str, password: str) -> bool:
    """Replace a new server's default password; False when already replaced."""
    try:
        with GraphDatabase.driver(uri, auth=(user, default)) as driver:
            driver.execute_query(
                "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
                old=default,
                new=password,
                database_="system",
            )
    except AuthError:
        return False
    return True
