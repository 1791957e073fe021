"""A period's rows made ready for the compliance figures: members laid out as a
forest in depth-first order, orders and ledger lines as arrays over its nodes.

Members are laid out depth-first, so each branch (a member and everyone below)
is a contiguous range and any per-member figure summed over every branch is
one cumulative sum.  Money stays in integer minor units (int64).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import repeat
from typing import Hashable, NamedTuple, Sequence

import numpy as np

from ..domain import ENROLLMENT, INVENTORY, ORDER_KINDS, PERSONAL, RETAIL
from ..network.forest import depths, levels, parent_index, subtree_sums

__all__ = ["Member", "Order", "OrderColumns", "Line", "Forest", "Columns", "Prepared", "customer_contributions",
           "KIND_AT", "RETAIL_AT", "PERSONAL_AT", "ENROLLMENT_AT", "INVENTORY_AT", "month_keys", "split_month_key",
           "sum_by_key"]

# Column of each order kind in the per-kind arrays.
KIND_AT = {kind: column for column, kind in enumerate(ORDER_KINDS)}
RETAIL_AT, PERSONAL_AT, ENROLLMENT_AT, INVENTORY_AT = (KIND_AT[k] for k in (RETAIL, PERSONAL, ENROLLMENT, INVENTORY))
# A (node, yyyymm month) pair as one integer key: months fit in the low bits.
MONTH_BITS = 20


def month_keys(nodes: np.ndarray, months: np.ndarray) -> np.ndarray:
    """One int64 key per (node, month) pair; :func:`split_month_key` undoes it.

    >>> month_keys(np.array([3]), np.array([202401])).tolist() == [(3 << 20) | 202401]
    True
    """
    return (nodes << MONTH_BITS) | months


def split_month_key(key: int) -> tuple[int, int]:
    """The (node, month) of a :func:`month_keys` key.

    >>> split_month_key((3 << 20) | 202401)
    (3, 202401)
    """
    return key >> MONTH_BITS, key & ((1 << MONTH_BITS) - 1)


class Member(NamedTuple):
    """A member, its sponsor (None for a founder) and whether it counts as a participant."""

    id: Hashable
    sponsor: Hashable | None
    participant: bool = True  # joined before the period ends


class Order(NamedTuple):
    """A paid order: seller, buyer (None for an outside customer), kind, amount in minor units, month, customer."""

    seller: Hashable
    buyer: Hashable | None
    kind: str
    amount: int  # minor units
    month: int  # yyyymm
    customer: str | None = None


class OrderColumns(NamedTuple):
    """Orders as parallel columns, the way in for millions of them (no tuple per order)."""

    sellers: Sequence
    buyers: Sequence  # None (or any value naming no member) where the buyer is not a participant
    kinds: Sequence[str]
    amounts: Sequence[int]
    months: Sequence[int]
    customers: Sequence  # None or '' where there is no retail customer

    @classmethod
    def of(cls, orders: Sequence[Order] | OrderColumns) -> OrderColumns:
        """The orders as columns (rows are turned around; columns pass through)."""
        if isinstance(orders, OrderColumns):
            return orders
        return cls(*zip(*orders)) if orders else cls(*[()] * len(cls._fields))


class Line(NamedTuple):
    """A ledger line (or a run's total) paid to a beneficiary on an order kind and month."""

    beneficiary: Hashable
    amount: int  # minor units, negative for a reversal
    order_kind: str
    month: int  # month of the order the line pays on


# -- the forest in depth-first order ------------------------------------------------------
class Forest:
    """Members as nodes 0..n-1 with their sponsor, laid out depth-first so the
    branch of node v is the range ``[pos[v], pos[v] + size[v])``.  A sponsor
    outside the members, or a sponsor cycle (bad data), makes a root."""

    def __init__(self, members: Sequence[Member]):
        self.ids = [m.id for m in members]
        self.index, parent = parent_index(self.ids, (m.sponsor for m in members))
        n = len(self.ids)
        parent[depths(parent) < 0] = -1
        self.depth = depths(parent)
        self.parent = parent
        size = 1 + subtree_sums(parent, self.depth, np.ones(n, dtype=np.int64))
        pos = np.zeros(n, dtype=np.int64)
        for d, level in enumerate(levels(self.depth)):
            # Siblings follow their parent one after another, each taking its branch's width.
            level = level[np.argsort(parent[level], kind="stable")]
            width = size[level]
            before = np.cumsum(width) - width
            group_start = np.r_[True, parent[level][1:] != parent[level][:-1]]
            before -= np.maximum.accumulate(np.where(group_start, before, 0))
            pos[level] = before if d == 0 else pos[parent[level]] + 1 + before
        self.pos, self.size = pos, size
        # Integer ids (internal node ids, from the service) are looked up by binary search in C.
        self._by_id = None
        if self.ids and all(type(member_id) is int for member_id in self.ids):
            as_array = np.asarray(self.ids, dtype=np.int64)
            order = np.argsort(as_array)
            self._by_id = (as_array[order], order)

    def nodes(self, ids: Sequence, missing: int | None = None) -> np.ndarray:
        """The nodes of these member ids; ``missing`` for an id naming no member
        (KeyError when ``missing`` is None)."""
        if self._by_id is None:
            found = map(self.index.__getitem__, ids) if missing is None else map(self.index.get, ids, repeat(missing))
            return np.fromiter(found, dtype=np.int64, count=len(ids))
        sorted_ids, order = self._by_id
        wanted = np.asarray(ids, dtype=np.int64)
        at = np.minimum(np.searchsorted(sorted_ids, wanted), len(sorted_ids) - 1)
        found = sorted_ids[at] == wanted
        if missing is None:
            if not found.all():
                raise KeyError(int(wanted[~found][0]))
            return order[at]
        return np.where(found, order[at], missing)

    def branch_sums(self, values: np.ndarray) -> np.ndarray:
        """Per node, the sum of ``values`` (rows per node) over its branch."""
        laid_out = np.zeros_like(values)
        laid_out[self.pos] = values
        running = np.concatenate([np.zeros((1, *values.shape[1:]), dtype=values.dtype), np.cumsum(laid_out, axis=0)])
        return running[self.pos + self.size] - running[self.pos]

    def lowest_common_ancestor(self, a: int, b: int) -> int:
        """The deepest node both ``a`` and ``b`` are in the branch of; -1 for none."""
        while self.depth[a] > self.depth[b]:
            a = self.parent[a]
        while self.depth[b] > self.depth[a]:
            b = self.parent[b]
        while a != b and a >= 0:
            a, b = self.parent[a], self.parent[b]
        return int(a)


def _codes(values: Sequence) -> np.ndarray:
    """Dense integer codes for hashable values, -1 for None and '' (C-level map, no Python loop)."""
    code_of = {value: code for code, value in enumerate(dict.fromkeys(values))}
    codes = np.fromiter(map(code_of.__getitem__, values), dtype=np.int64, count=len(values))
    for missing in (None, ""):
        if missing in code_of:
            codes[codes == code_of[missing]] = -1
    return codes


@dataclass
class Columns:
    """Orders or ledger lines as arrays over forest nodes."""

    member: np.ndarray  # seller (orders) or beneficiary (lines)
    kind: np.ndarray  # column in KIND_AT
    amount: np.ndarray
    month: np.ndarray
    buyer: np.ndarray | None = None  # -1 when the buyer is not a participant
    customer: np.ndarray | None = None  # retail customer code, -1 for none

    @classmethod
    def of_orders(cls, forest: Forest, orders: Sequence[Order] | OrderColumns) -> Columns:
        """The orders as arrays over the forest's nodes."""
        o = OrderColumns.of(orders)
        return cls(forest.nodes(o.sellers), _kinds(o.kinds), np.asarray(o.amounts, dtype=np.int64),
                   np.asarray(o.months, dtype=np.int64), forest.nodes(o.buyers, missing=-1), _codes(o.customers))

    @classmethod
    def of_lines(cls, forest: Forest, lines: Sequence[Line]) -> Columns:
        """The ledger lines as arrays over the forest's nodes."""
        members, amounts, kinds, months = list(zip(*lines)) if lines else [()] * 4
        return cls(forest.nodes(members), _kinds(kinds), np.asarray(amounts, dtype=np.int64),
                   np.asarray(months, dtype=np.int64))

    def per_member(self, n: int, by_kind: bool = True) -> np.ndarray:
        """Amounts summed per member (and per kind)."""
        out = np.zeros((n, len(ORDER_KINDS)) if by_kind else n, dtype=np.int64)
        np.add.at(out, (self.member, self.kind) if by_kind else self.member, self.amount)
        return out

    @cached_property
    def retail_customers(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Distinct (customer, seller, month) of retail orders with a customer, sorted."""
        with_customer = (self.kind == RETAIL_AT) & (self.customer >= 0)
        return _distinct_rows(self.customer[with_customer], self.member[with_customer], self.month[with_customer])


def _distinct_rows(*columns: np.ndarray) -> tuple[np.ndarray, ...]:
    """The distinct rows of equal-length integer columns, sorted by the first column,
    then the next (``np.unique(axis=0)`` without its slow row-as-bytes sort).

    >>> [c.tolist() for c in _distinct_rows(np.array([2, 1, 2, 1]), np.array([5, 7, 5, 6]))]
    [[1, 1, 2], [6, 7, 5]]
    """
    order = np.lexsort(columns[::-1])
    ranked = [column[order] for column in columns]
    new = np.zeros(len(order), dtype=bool)
    new[:1] = True
    for column in ranked:
        new[1:] |= column[1:] != column[:-1]
    return tuple(column[new] for column in ranked)


def _kinds(kinds: Sequence[str]) -> np.ndarray:
    return np.fromiter(map(KIND_AT.__getitem__, kinds), dtype=np.int64, count=len(kinds))


def customer_contributions(forest: Forest, orders: Columns) -> np.ndarray:
    """Per node, +1/-1 marks whose branch sums count distinct retail customers.

    A customer bought from by sellers s1..sk (in depth-first order) is counted
    once in every branch holding one of them: +1 at each seller and -1 at the
    lowest common ancestor of each consecutive pair.
    """
    customer, seller, _ = orders.retail_customers
    pairs = np.stack(_distinct_rows(customer, seller), axis=1)
    marks = np.zeros(len(forest.ids), dtype=np.int64)
    np.add.at(marks, pairs[:, 1], 1)
    # Consecutive sellers of one customer, in depth-first order (few customers have several).
    ranked = pairs[np.lexsort((forest.pos[pairs[:, 1]], pairs[:, 0]))]
    same = np.flatnonzero(ranked[1:, 0] == ranked[:-1, 0])
    for a, b in zip(ranked[same, 1].tolist(), ranked[same + 1, 1].tolist()):
        ancestor = forest.lowest_common_ancestor(a, b)
        if ancestor >= 0:
            marks[ancestor] -= 1
    return marks


@dataclass
class Prepared:
    """A period's members, orders and ledger lines, ready for the figures."""

    forest: Forest
    orders: Columns
    lines: Columns
    participant: np.ndarray  # bool per node

    @classmethod
    def of(cls, members: Sequence[Member], orders: Sequence[Order] | OrderColumns,
           lines: Sequence[Line]) -> Prepared:
        """Lay out the members and turn the orders and lines into arrays over them."""
        forest = Forest(members)
        participant = np.fromiter((bool(m.participant) for m in members), dtype=bool, count=len(forest.ids))
        return cls(forest, Columns.of_orders(forest, orders), Columns.of_lines(forest, lines), participant)


def sum_by_key(keys: np.ndarray, amounts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct keys and the int64 sum of amounts for each."""
    unique, inverse = np.unique(keys, return_inverse=True)
    sums = np.zeros(len(unique), dtype=np.int64)
    np.add.at(sums, inverse, amounts)
    return unique, sums


