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
- With ``live_days``, the referral programme's own events (see :func:`_tracking`):
  codes.csv and clicks.csv, and the members who joined in the last ``live_days``
  days left out of the import files and written as live signups (signups.jsonl,
  attributed by a click, a code or a named sponsor) with their orders in
  live-orders.csv, to replay after the codes and clicks.

The same seed always writes the same files.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from ..domain import CODE_ALPHABET, ENROLLMENT, INVENTORY, MEMBER_STATUSES, PAID, PERSONAL, REFUNDED, RETAIL

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


def generate(members: int, out: Path, seed: int = 1, orders_per_member: float = 5.0, plant: bool = False,
             live_days: int | None = None) -> dict:
    """Write members.csv, orders.csv and identifiers.csv into ``out`` (with ``plant``,
    also the planted risk cases; with ``live_days``, the tracking files); returns row
    counts."""
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
    end = SPAN_DAYS * 86400
    # Members join in time order: the live ones (the last live_days) are a suffix.
    head = max(founders, int(np.searchsorted(joined, end - live_days * 86400))) if live_days else n

    with open(out / "members.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["id", "sponsor_id", "joined_at", "status", "country"])
        for i in range(head):
            w.writerow([ids[i], ids[sponsor[i]] if sponsor[i] >= 0 else "", _iso(joined[i]), status[i], country[i]])

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
    header = ["id", "seller_id", "buyer_id", "amount", "currency", "kind", "at", "status", "customer_ref"]
    with open(out / "orders.csv", "w", newline="") as f, \
            open(out / "live-orders.csv", "w", newline="") if live_days is not None else f as g:
        w, live = csv.writer(f), csv.writer(g)  # a live member's orders go after its signup
        w.writerow(header)
        if g is not f:
            live.writerow(header)
        for j, (i, amount) in enumerate(zip(recruits, _cents(kit_cents))):
            (live if i >= head else w).writerow([
                f"O{order_rows:08d}", ids[sponsor[i]], ids[i], amount, "USD", ENROLLMENT,
                _iso(joined[i] + 60), REFUNDED if refunded[j] else PAID, ""])
            order_rows += 1
        amounts = _cents(cents)
        for j in range(extra):
            member = ids[buyer[j]]
            if kind[j] == RETAIL:
                seller, buyer_id, ref = member, "", f"C-{member}-{customers[j]}"
            else:
                seller, buyer_id, ref = (ids[sponsor[buyer[j]]] if sponsor[buyer[j]] >= 0 else member), member, ""
            (live if buyer[j] >= head else w).writerow([
                f"O{order_rows:08d}", seller, buyer_id, amounts[j], "USD", kind[j], _iso(at[j]),
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
        for i in range(head):
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
        planted_members, planted_identifiers = _planted(ids[:head], joined)
        with open(out / "members.csv", "a", newline="") as f:
            csv.writer(f).writerows(planted_members)
        with open(out / "identifiers.csv", "a", newline="") as f:
            csv.writer(f).writerows(planted_identifiers)
        n += len(planted_members)
        identifier_rows += len(planted_identifiers)
    counts = {"members": n - (len(ids) - head), "orders": order_rows, "identifiers": identifier_rows}
    if live_days is not None:
        counts |= _tracking(rng, out, ids, sponsor, joined, status, country, head, end, seed)
    return counts


TRACKING_DAYS = 180  # clicks are tracked over the last half year
SHARING = 0.25  # of active members, those who share their links at all
AGENTS = ["Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) Mobile/15E148 Safari/604.1",
          "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/124.0 Mobile Safari/537.36",
          "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/124.0 Safari/537.36",
          "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) Version/17.4 Safari/605.1.15"]
BOTS = ["facebookexternalhit/1.1", "Twitterbot/1.0", "Mozilla/5.0 (compatible; Googlebot/2.1)"]
CAMPAIGNS = [("spring", "instagram"), ("spring", "whatsapp"), ("newsletter", "email")]


def _tracking(rng, out: Path, ids, sponsor, joined, status, country, head: int, end: float, seed: int) -> dict:
    """codes.csv, clicks.csv, signups.jsonl; returns their row counts.

    A quarter of the active members share, with a heavy tail (most share a little, a
    few a lot); each has a default code and some a campaign code.  A sharer's visitors
    come back (several clicks each); one click in twenty-five is a bot.  A live
    member came by a click (three in five: its own visitor's clicks on the sponsor's
    code in the weeks before joining, some after an earlier click on another
    sharer's code), by typing the code (one in four), or was named by its sponsor;
    one in a hundred signs up on its sponsor's device (an alt account, to be held).
    """
    n = len(ids)
    live = np.arange(head, n)
    sharer = (status[:head] == "active") & (rng.random(head) < SHARING)
    live_sponsors = sponsor[live][(sponsor[live] >= 0) & (sponsor[live] < head)]
    sharer[live_sponsors] = True  # whoever recruits a live member shares
    sharers = np.flatnonzero(sharer)
    draw = lambda count: ["".join(rng.choice(list(CODE_ALPHABET), 8)) for _ in range(count)]  # noqa: E731
    default = dict(zip(sharers.tolist(), draw(len(sharers))))
    with_campaign = sharers[rng.random(len(sharers)) < 0.2]
    campaign = rng.integers(0, len(CAMPAIGNS), len(with_campaign))
    campaign_code = dict(zip(with_campaign.tolist(), draw(len(with_campaign))))
    with open(out / "codes.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["member_id", "code", "campaign", "channel", "is_default"])
        w.writerows([ids[m], code, "", "", "true"] for m, code in default.items())
        w.writerows([ids[m], campaign_code[m], *CAMPAIGNS[c], "false"] for m, c in zip(with_campaign, campaign))

    start = end - TRACKING_DAYS * 86400
    clicks = []  # (seconds, code, visitor, ip, agent)
    per_sharer = np.minimum(2000, (rng.pareto(1.2, len(sharers)) * 4).astype(int) + 1)
    for m, count in zip(sharers, per_sharer):
        codes = [default[m]] + ([campaign_code[m]] if m in campaign_code else [])
        visitors = rng.integers(0, max(1, int(count * 0.6)), count)  # repeat visitors
        for t, v, c, bot in zip(rng.uniform(start, end, count), visitors, rng.integers(0, len(codes), count),
                                rng.random(count) < 0.04):
            agent = BOTS[v % len(BOTS)] if bot else AGENTS[v % len(AGENTS)]
            clicks.append((t, codes[c], f"x{m}-{v}", f"198.18.{v % 256}.{m % 256}", agent))
    signups = []
    for k, i in enumerate(live):
        s = sponsor[i]
        # One in a hundred is an alt account on its sponsor's device: held for review.
        device = s if k % 100 == 0 and 0 <= s < head else i
        body = {"id": ids[i], "joined_at": _iso(joined[i]), "status": status[i], "country": country[i],
                "ip": f"192.0.2.{i % 256}",
                "identifiers": [{"kind": "email", "value": f"member{i}@example.com"},
                                {"kind": "device", "value": f"dev-{seed}-{device:08x}"}]}
        way = rng.random()
        if s >= head and s >= 0:
            body["sponsor_id"] = ids[s]  # a live sponsor has no code in codes.csv
        elif s >= 0 and way < 0.6:
            body["visitor_id"] = visitor = f"v{i}"
            if rng.random() < 0.2:  # an earlier touch on another sharer's link
                other = sharers[rng.integers(0, len(sharers))]
                clicks.append((joined[i] - rng.uniform(10, 25) * 86400, default[other], visitor, body["ip"],
                               AGENTS[i % len(AGENTS)]))
            for back in rng.uniform(3600, 9 * 86400, rng.integers(1, 4)):
                clicks.append((joined[i] - back, default[s], visitor, body["ip"], AGENTS[i % len(AGENTS)]))
        elif s >= 0 and way < 0.85:
            body["code"] = campaign_code.get(s, default[s])
        elif s >= 0:
            body["sponsor_id"] = ids[s]
        signups.append(body)
    clicks.sort()
    with open(out / "clicks.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "visitor_id", "at", "ip", "user_agent", "landing_page"])
        w.writerows([code, visitor, _iso(t), ip, agent, "/join"] for t, code, visitor, ip, agent in clicks)
    with open(out / "signups.jsonl", "w") as f:
        f.writelines(json.dumps(body) + "\n" for body in signups)
    return {"codes": len(default) + len(with_campaign), "clicks": len(clicks), "signups": len(signups)}


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
