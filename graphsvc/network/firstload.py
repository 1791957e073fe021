"""A first load: import files straight into the store of an empty local database.

The transactional import (:mod:`.importer`) writes through Bolt, one
transaction per batch; docs/benchmarks.md compares the two paths.  Filling an empty database with last year's data
goes through ``neo4j-admin database import`` instead: the files are checked
whole, column by column; the forest's derived properties are computed; the
graph is written as the tool's CSV files under ``var/first-load``; then the
server is stopped, the tool writes the store, the server is started again
and the schema's constraints and indexes are created and populated.

Column checks cover files written in the canonical form (times as
``YYYY-MM-DDTHH:MM:SSZ``, amounts with exactly the currency's minor digits and
no padding, nothing to trim), by the rule table the importer's row checks
use (:mod:`.fields`).  A file with anything else, a bad row or just
another spelling of a good value, is checked row by row by the importer,
which refuses it with every bad row or returns the rows it accepts; so a first
load accepts and refuses exactly what an import does.
"""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pcsv

from .. import schema
from ..db import Database
from ..domain import CUSTOMER, IDENTIFIER_KINDS
from ..errors import Conflict
from ..localneo4j import LocalNeo4j
from .fields import (IDENTIFIER_COLUMNS, MEMBER_COLUMNS, MEMBER_FIELDS, ORDER_COLUMNS, ORDER_FIELDS, ORDER_OPTIONAL,
                     canonical, canonical_amounts, every)
from .forest import depths, derive_columns
from .importer import Importer, ImportSummary, hash_identifier, normalise_identifier

__all__ = ["FirstLoad"]

def _read(path: Path, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> pa.Table | None:
    """The file as string columns; None when it does not parse as plain CSV
    with exactly the expected header (the row-by-row check then reports why)."""
    columns = required + optional
    try:
        table = pcsv.read_csv(
            path,
            convert_options=pcsv.ConvertOptions(
                column_types={c: pa.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError):
        return None
    names = table.column_names
    if len(set(names)) != len(names) or not set(required) <= set(names) <= set(columns):
        return None
    return table


def _column(rows: list[dict], name: str, kind: pa.DataType = pa.string()) -> pa.Array:
    """One field of the rows the importer's row checks accepted, as a column."""
    return pa.array([r[name] for r in rows], kind)


def _position(values: pa.ChunkedArray, ids: pa.Array) -> np.ndarray:
    """Each value's position in ``ids``; -1 where it is absent."""
    return pc.fill_null(pc.index_in(values, value_set=ids), -1).to_numpy().astype(np.int64)


@dataclass
class _Members:
    ids: pa.Array
    parent: np.ndarray
    joined_at: pa.Array
    status: pa.Array
    country: pa.Array


@dataclass
class _Orders:
    ids: pa.Array
    seller: np.ndarray
    buyer: np.ndarray
    amount: pa.Array
    amount_minor: pa.Array
    currency: pa.Array
    kind: pa.Array
    at: pa.Array
    status: pa.Array
    customer_hash: pa.Array


@dataclass
class _Links:
    member: np.ndarray
    kind: pa.Array
    hash: pa.Array
    rows: int


class FirstLoad:
    """``graphsvc import --first-load``: see the module docstring."""

    def __init__(self, db: Database, importer: Importer, server: LocalNeo4j, work_dir: Path):
        self.db = db
        self.importer = importer
        self.server = server
        self.work_dir = work_dir

    def run(self, members: Path, orders: Path | None = None, identifiers: Path | None = None,
            echo: Callable[[str], None] = print) -> list[ImportSummary]:
        """Check the files, write the store offline and bring the server back with its schema; returns
        what each file imported.  Conflict when the database holds anything; Invalid (every bad row)
        for a bad file, before the server is touched."""
        nodes = self.db.read("network/node_count")[0]["nodes"]
        if nodes:
            raise Conflict(f"the database holds {nodes:,} nodes; a first load fills an empty database only "
                           "(use graphsvc import without --first-load)")
        started = time.perf_counter()

        def step(message: str) -> None:
            echo(f"[{time.perf_counter() - started:6.1f} s] {message}")

        step(f"Checking {members} ...")
        member_cols = self._members(members)
        summaries = [ImportSummary("members", len(member_cols.ids), len(member_cols.ids), 0, 0)]
        order_cols = link_cols = None
        if orders:
            step(f"Checking {orders} ...")
            order_cols = self._orders(orders, member_cols.ids)
            summaries.append(ImportSummary("orders", len(order_cols.ids), len(order_cols.ids), 0, 0))
        if identifiers:
            step(f"Checking {identifiers} ...")
            link_cols = self._links(identifiers, member_cols.ids)
            summaries.append(ImportSummary("identifiers", link_cols.rows, len(link_cols.member), 0, 0))

        step("Computing depths, paths and downline counts ...")
        shutil.rmtree(self.work_dir, ignore_errors=True)
        self.work_dir.mkdir(parents=True)
        try:
            files_nodes, files_relationships = self._stage(member_cols, order_cols, link_cols, step)
            step("Stopping Neo4j for the offline import ...")
            self.server.stop(echo=lambda _: None)
            try:
                self.server.import_full(files_nodes, files_relationships, echo=step)
            finally:
                # After a failed import the database is empty again (see import_full).
                step("Starting Neo4j ...")
                self.server.start(echo=lambda _: None)
                self.db.store_replaced()
                step("Creating constraints and populating indexes ...")
                schema.migrate(self.db, echo=step)
        finally:
            shutil.rmtree(self.work_dir, ignore_errors=True)
        step("First load done.")
        return summaries

    # -- checks ---------------------------------------------------------------
    def _members(self, path: Path) -> _Members:
        table = _read(path, MEMBER_COLUMNS)
        if table is not None:
            ids, sponsor = table["id"].combine_chunks(), table["sponsor_id"]
            founder = pc.equal(sponsor, "")
            parent = np.where(founder.to_numpy(zero_copy_only=False), -1, _position(sponsor, ids))
            if (canonical(table, MEMBER_FIELDS) and pc.count_distinct(ids).as_py() == len(ids)
                    and not np.any(parent == np.arange(len(ids)))
                    and every(pc.or_(founder, pa.array(parent >= 0)))
                    and np.all(depths(parent) >= 0)):
                return _Members(ids, parent, table["joined_at"].combine_chunks(),
                                table["status"].combine_chunks(), table["country"].combine_chunks())
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = self.importer.check_members(stream).rows
        ids = _column(rows, "id")
        return _Members(ids, _position(_column(rows, "sponsor_id"), ids), _column(rows, "joined_at"),
                        _column(rows, "status"), _column(rows, "country"))

    def _orders(self, path: Path, members: pa.Array) -> _Orders:
        table = _read(path, ORDER_COLUMNS, ORDER_OPTIONAL)
        if table is not None:
            if "customer_ref" not in table.column_names:
                table = table.append_column("customer_ref", pa.repeat(pa.scalar(""), table.num_rows))
            ids, amount, currency = table["id"].combine_chunks(), table["amount"], table["currency"]
            seller, buyer = _position(table["seller_id"], members), _position(table["buyer_id"], members)
            no_buyer = pc.equal(table["buyer_id"], "").to_numpy(zero_copy_only=False)
            customers = table["customer_ref"]
            if (canonical(table, ORDER_FIELDS) and pc.count_distinct(ids).as_py() == len(ids)
                    and np.all(seller >= 0) and np.all(no_buyer | (buyer >= 0))
                    and canonical_amounts(amount, currency)):
                distinct = pc.unique(customers)
                hashes = pa.array([hash_identifier(self.importer.identifier_secret, CUSTOMER, c) if c else None
                                   for c in distinct.to_pylist()], pa.string())
                return _Orders(ids, seller, np.where(no_buyer, -1, buyer), amount.combine_chunks(),
                               pc.cast(pc.replace_substring(amount, ".", ""), pa.int64()).combine_chunks(),
                               currency.combine_chunks(), table["kind"].combine_chunks(),
                               table["at"].combine_chunks(), table["status"].combine_chunks(),
                               pc.take(hashes, pc.index_in(customers, value_set=distinct)).combine_chunks())
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = self.importer.check_orders(stream, members_in_load=set(members.to_pylist()))
        return _Orders(_column(rows, "id"), _position(_column(rows, "seller_id"), members),
                       _position(_column(rows, "buyer_id"), members), _column(rows, "amount"),
                       _column(rows, "amount_minor", pa.int64()), _column(rows, "currency"),
                       _column(rows, "kind"), _column(rows, "at"), _column(rows, "status"),
                       _column(rows, "customer_hash"))

    def _links(self, path: Path, members: pa.Array) -> _Links:
        table = _read(path, IDENTIFIER_COLUMNS)
        if table is not None:
            member = _position(table["member_id"], members)
            pairs = pc.binary_join_element_wise(table["kind"], table["value"], "\x00")
            distinct = pc.unique(pairs)
            hashes = []
            for pair in distinct.to_pylist():
                kind, value = pair.split("\x00", 1)
                try:
                    normalised = normalise_identifier(kind, value) if kind in IDENTIFIER_KINDS else ""
                except ValueError:
                    normalised = ""
                if not normalised:
                    break
                hashes.append(hash_identifier(self.importer.identifier_secret, kind, normalised))
            else:
                if np.all(member >= 0):
                    links = pa.table({
                        "member": member, "kind": table["kind"],
                        "hash": pc.take(pa.array(hashes, pa.string()), pc.index_in(pairs, value_set=distinct)),
                    }).group_by(["member", "kind", "hash"], use_threads=False).aggregate([])
                    return _Links(links["member"].to_numpy(), links["kind"].combine_chunks(),
                                  links["hash"].combine_chunks(), table.num_rows)
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows, count = self.importer.check_identifiers(stream, members_in_load=set(members.to_pylist()))
        return _Links(_position(_column(rows, "member_id"), members), _column(rows, "kind"),
                      _column(rows, "hash"), count)

    # -- the tool's files -----------------------------------------------------
    def _stage(self, members: _Members, orders: _Orders | None, links: _Links | None,
               step: Callable[[str], None]) -> tuple[dict[str, Path], dict[str, Path]]:
        """Write the graph as neo4j-admin CSV files; nodes are numbered members
        first, then orders, then identifiers (their store ids)."""
        n = len(members.ids)
        forest = derive_columns(members.ids.to_pylist(), members.parent)
        step("Writing the graph for neo4j-admin ...")
        nodes, relationships = {}, {}

        def write(name: str, columns: dict) -> Path:
            path = self.work_dir / f"{name}.csv"
            pcsv.write_csv(pa.table(columns), path)
            return path

        member_node = np.arange(n, dtype=np.int64)
        nodes["Member"] = write("members", {
            ":ID(Member)": member_node, "id": members.ids, "joined_at:datetime": members.joined_at,
            "status": members.status, "country": members.country, "depth:long": forest.depth,
            "path": pa.array(forest.paths, pa.string()),
            "level_counts:long[]": pa.array([";".join(map(str, c)) or None for c in forest.level_counts],
                                            pa.string()),
            "downline_total:long": forest.downline_total,
        })
        recruit = np.flatnonzero(members.parent >= 0)
        relationships["REFERRED"] = write("referred", {
            ":START_ID(Member)": members.parent[recruit], ":END_ID(Member)": recruit,
            "at:datetime": pc.take(members.joined_at, pa.array(recruit)),
        })
        next_node = n
        if orders is not None:
            order_node = np.arange(next_node, next_node + len(orders.ids), dtype=np.int64)
            next_node += len(orders.ids)
            nodes["Order"] = write("orders", {
                ":ID(Order)": order_node, "id": orders.ids, "amount": orders.amount,
                "amount_minor:long": orders.amount_minor, "currency": orders.currency, "kind": orders.kind,
                "at:datetime": orders.at, "status": orders.status, "customer_hash": orders.customer_hash,
            })
            relationships["SOLD"] = write("sold", {":START_ID(Member)": orders.seller, ":END_ID(Order)": order_node})
            bought = orders.buyer >= 0
            relationships["BOUGHT_BY"] = write("bought_by", {
                ":START_ID(Order)": order_node[bought], ":END_ID(Member)": orders.buyer[bought]})
        if links is not None:
            identifiers = pa.table({"kind": links.kind, "hash": links.hash}).group_by(
                ["kind", "hash"], use_threads=False).aggregate([])
            identifier_node = np.arange(next_node, next_node + identifiers.num_rows, dtype=np.int64)
            nodes["Identifier"] = write("identifiers", {
                ":ID(Identifier)": identifier_node, "kind": identifiers["kind"], "hash": identifiers["hash"]})
            keys = pc.binary_join_element_wise(identifiers["kind"], identifiers["hash"], "\x00")
            used = pc.index_in(pc.binary_join_element_wise(links.kind, links.hash, "\x00"), value_set=keys)
            now = pa.repeat(pa.scalar(datetime.now(timezone.utc).isoformat()), len(links.member))
            relationships["USES"] = write("uses", {
                ":START_ID(Member)": links.member, ":END_ID(Identifier)": identifier_node[used.to_numpy()],
                "first_seen:datetime": now, "last_seen:datetime": now,
            })
        return nodes, relationships
