"""A realistic demo programme, written as the three import CSV files.

- Recruiting is heavy-tailed: most members recruit nobody, a few recruit
  hundreds (each member draws a recruiting propensity; 60% draw zero, the
  rest a Pareto weight, and each new member picks a sponsor in proportion to
  the propensities of those who joined before).
- About 70% of members are active, 20% inactive, 10% terminated.
- Orders of all four kinds: an enrollment kit when a member joins (sold by
  the sponsor), personal and inventory purchases by members, retail sales to
  outside customers; about 3% refunded.
- Identifiers: an e-mail, phone and device each; a share of members behind
  shared NAT IPs (offices, carriers); households sharing an address.
- With ``plant``, what risk analysis should find: three rings of alt
  accounts (a sponsorship chain sharing one card, joined within hours), a
  farm of forty accounts on one device, a chain of five accounts each
  sharing one weak identifier with the one it recruited, and three founders
  (CYCLE0-2) for the demo to join into a referral cycle behind the API's back.

The same seed always writes the same files.
"""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from ..domain import ENROLLMENT, INVENTORY, MEMBER_STATUSES, PAID, PERSONAL, REFUNDED, RETAIL

__all__ = ["generate"]

START = datetime(2023, 1, 1, tzinfo=timezone.utc)
SPAN_DAYS = 3 * 365
COUNTRIES = ["US", "GB", "DE", "FR", "ES", "IT", "PL", "BR", "MX", "CA"]
# Orders members place after joining (enrollment kits come with the joining).
KIND_SHARE = {RETAIL: 0.5, PERSONAL: 0.35, INVENTORY: 0.15}
STATUS_SHARE = dict(zip(MEMBER_STATUSES, (0.7, 0.2, 0.1)))


def _iso(seconds: float) -> str:
    return (START + timedelta(seconds=float(seconds))).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cents(values: np.ndarray) -> list[str]:
    return [f"{int(c) // 100}.{int(c) % 100:02d}" for c in values]


def generate(members: int, out: Path, seed: int = 1, orders_per_member: float = 5.0, plant: bool = False) -> dict:
    """Write members.csv, orders.csv and identifiers.csv into ``out`` (with ``plant``,
    also the planted risk cases); returns row counts."""
    if members < 1:
        raise ValueError("members must be at least 1")
    rng = np.random.default_rng(seed)
    out.mkdir(parents=True, exist_ok=True)
    n = members
    ids = [f"M{i:07d}" for i in range(n)]

    founders = max(1, min(5, n // 1000))
    propensity = np.where(rng.random(n) < 0.6, 0.0, rng.pareto(1.1, n) + 0.05)
    propensity[:founders] = 50.0
    cumulative = np.cumsum(propensity)
    draws = rng.random(n) * np.concatenate(([0.0], cumulative[:-1]))
    sponsor = np.searchsorted(cumulative, draws, side="right")
    sponsor[:founders] = -1
    joined = np.sort(rng.random(n)) * SPAN_DAYS * 86400
    joined[:founders] = np.arange(founders)
    status = rng.choice(list(STATUS_SHARE), n, p=list(STATUS_SHARE.values()))
    country = rng.choice(COUNTRIES, n)

    with open(out / "members.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "sponsor_id", "joined_at", "status", "country"])
        for i in range(n):
            w.writerow([ids[i], ids[sponsor[i]] if sponsor[i] >= 0 else "", _iso(joined[i]), status[i], country[i]])

    end = SPAN_DAYS * 86400
    recruits = np.flatnonzero(sponsor >= 0)
    extra = int(n * max(orders_per_member - 1, 0))
    buyer = rng.integers(0, n, extra)
    kind = rng.choice(list(KIND_SHARE), extra, p=list(KIND_SHARE.values()))
    at = joined[buyer] + rng.random(extra) * (end - joined[buyer])
    cents = np.where(kind == INVENTORY, rng.integers(10_000, 50_000, extra),
                     np.maximum(500, rng.lognormal(8.2, 0.6, extra).astype(np.int64)))
    refunded = rng.random(extra + len(recruits)) < 0.03
    kit_cents = rng.choice([4900, 9900, 14900], len(recruits))
    customers = rng.integers(0, 40, extra)
    order_rows = 0
    with open(out / "orders.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "seller_id", "buyer_id", "amount", "currency", "kind", "at", "status", "customer_ref"])
        for j, (i, amount) in enumerate(zip(recruits, _cents(kit_cents))):
            w.writerow([f"O{order_rows:08d}", ids[sponsor[i]], ids[i], amount, "USD", ENROLLMENT,
                        _iso(joined[i] + 60), REFUNDED if refunded[j] else PAID, ""])
            order_rows += 1
        amounts = _cents(cents)
        for j in range(extra):
            member = ids[buyer[j]]
            if kind[j] == RETAIL:
                seller, buyer_id, ref = member, "", f"C-{member}-{customers[j]}"
            else:
                seller, buyer_id, ref = (ids[sponsor[buyer[j]]] if sponsor[buyer[j]] >= 0 else member), member, ""
            w.writerow([f"O{order_rows:08d}", seller, buyer_id, amounts[j], "USD", kind[j], _iso(at[j]),
                        REFUNDED if refunded[len(recruits) + j] else PAID, ref])
            order_rows += 1

    nat_pool = max(1, n // 200)
    behind_nat = rng.random(n) < 0.15
    nat_of = rng.integers(0, nat_pool, n)
    household = (rng.random(n) < 0.1) & (sponsor >= 0)
    identifier_rows = 0
    with open(out / "identifiers.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "kind", "value"])
        for i in range(n):
            home = sponsor[i] if household[i] else i
            ip = f"100.64.{nat_of[i] // 256 % 256}.{nat_of[i] % 256}" if behind_nat[i] else \
                f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}"
            rows = [
                (ids[i], "email", f"member{i}@example.com"),
                (ids[i], "phone", f"+1555{i:07d}"),
                (ids[i], "device", f"dev-{seed}-{i:08x}"),
                (ids[i], "ip", ip),
                (ids[i], "address", f"{home % 997 + 1} Main Street, Town {home}"),
            ]
            w.writerows(rows)
            identifier_rows += len(rows)
    if plant:
        planted_members, planted_identifiers = _planted(ids, joined)
        with open(out / "members.csv", "a", newline="") as f:
            csv.writer(f).writerows(planted_members)
        with open(out / "identifiers.csv", "a", newline="") as f:
            csv.writer(f).writerows(planted_identifiers)
        n += len(planted_members)
        identifier_rows += len(planted_identifiers)
    return {"members": n, "orders": order_rows, "identifiers": identifier_rows}


FARM_SIZE = 40


def _planted(ids: list[str], joined: np.ndarray) -> tuple[list, list]:
    """Member and identifier rows of the planted risk cases, hanging off generated members."""
    members, identifiers = [], []
    anchor = lambda k: (ids[k * 7919 % len(ids)], joined[k * 7919 % len(ids)] + 86400)  # noqa: E731

    def join(member, sponsor, seconds, *uses):
        members.append([member, sponsor, _iso(seconds), "active", "US"])
        identifiers.extend([member, kind, value] for kind, value in (("email", f"{member.lower()}@example.net"),
                                                                     *uses))

    for k in range(3):  # rings: a sponsorship chain of alt accounts on one card, joined within hours
        sponsor, at = anchor(k + 1)
        for i in range(4):
            member = f"RING{k}_{i}"
            join(member, sponsor, at + i * 3600, ("card", f"4111-0000-0000-{k:04d}"))
            sponsor = member
    sponsor, at = anchor(5)
    for i in range(FARM_SIZE):  # a farm: many accounts on one device, signed up over weeks
        join(f"FARM{i:02d}", sponsor, at + i * 86400, ("device", "farm-device-1"))
    sponsor, at = anchor(6)
    weak = [("phone", "+15550000001"), ("address", "9 Quiet Road, Town 0"), ("ip", "203.0.113.9"),
            ("phone", "+15550000002")]
    for i in range(5):  # a chain: each account shares one weak identifier with the one it recruited
        join(f"CHAIN{i}", sponsor, at + i * 7200, *[u for u in (weak[i - 1] if i else None, weak[i] if i < 4 else None)
                                                    if u])
        sponsor = f"CHAIN{i}"
    for i in range(3):  # founders the demo joins into a referral cycle
        join(f"CYCLE{i}", "", joined[0] + i)
    return members, identifiers
