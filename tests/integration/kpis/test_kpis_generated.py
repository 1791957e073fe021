"""The KPIs of a generated programme (the demo's, with its half year of clicks and live
signups) against an independent computation written here: plain Python loops over the
rows read back from the store, each figure by its definition."""

from collections import Counter
from datetime import datetime, timedelta, timezone

from tests.conftest import run_cli

UTC = timezone.utc
START, END = datetime(2025, 7, 1, tzinfo=UTC), datetime(2026, 1, 1, tzinfo=UTC)
MONTHS = [(datetime(2025, m, 1, tzinfo=UTC), datetime(2025 + m // 12, m % 12 + 1, 1, tzinfo=UTC)) for m in range(7, 13)]


def _ratio(numerator, denominator):
    return None if not denominator else round(numerator / denominator, 6)


def _money(minor: int) -> str:
    return f"{minor // 100}.{minor % 100:02d}"


class Programme:
    """The stored programme as plain rows."""

    def __init__(self, cypher):
        self.joined, self.status, self.since = {}, {}, {}
        for r in cypher("MATCH (m:Member) RETURN m.id AS id, m.joined_at AS joined, m.status AS status, "
                        "coalesce(m.status_since, m.joined_at) AS since"):
            self.joined[r["id"]], self.status[r["id"]] = r["joined"].to_native(), r["status"]
            self.since[r["id"]] = r["since"].to_native()
        self.sponsor, self.referred, self.by_click = {}, set(), set()
        for r in cypher("MATCH (s:Member)-[r:REFERRED]->(m:Member) RETURN s.id AS s, m.id AS m, r.via AS via, "
                        "r.status AS status"):
            assert r["m"] not in self.sponsor, "one sponsor each in the demo"
            self.sponsor[r["m"]] = r["s"]
            if r["via"] in ("click", "code") and r["status"] != "rejected":
                self.referred.add(r["m"])
                if r["via"] == "click":
                    self.by_click.add(r["m"])
        # A paid order belongs to its buyer, or to the seller of a retail sale.
        self.orders = [(r["member"], r["at"].to_native(), r["amount"], r["kind"]) for r in cypher(
            "MATCH (s:Member)-[:SOLD]->(o:Order {status: 'paid'}) OPTIONAL MATCH (o)-[:BOUGHT_BY]->(b:Member) "
            "RETURN coalesce(b.id, s.id) AS member, o.at AS at, o.amount_minor AS amount, o.kind AS kind, "
            "o.currency AS currency")]
        self.clicks = [(r["member"], r["visitor"], r["at"].to_native()) for r in cypher(
            "MATCH (k:Click {bot: false}) RETURN k.member_id AS member, k.visitor_hash AS visitor, k.at AS at")]

    def funnel(self, start, end) -> dict:
        inside = [c for c in self.clicks if start <= c[2] < end]
        joined = [m for m, t in self.joined.items() if start <= t < end and m in self.referred]
        first = {}
        for member, at, _, _ in self.orders:
            if at >= self.joined[member]:
                first[member] = min(first.get(member, at), at)
        first_orders = sum(1 for m in joined if m in first and first[m] - self.joined[m] <= timedelta(days=30))
        by_click = sum(1 for m in joined if m in self.by_click)
        return {"clicks": len(inside), "unique_visitors": len({c[1] for c in inside}),
                "sharers": len({c[0] for c in inside}), "referred_signups": len(joined), "signups_by_click": by_click,
                "first_orders": first_orders, "click_to_signup": _ratio(by_click, len({c[1] for c in inside})),
                "signup_to_first_order": _ratio(first_orders, len(joined)),
                "referred_sales": sum(a for m, t, a, _ in self.orders if start <= t < end and m in self.referred)}

    def programme(self, start, end) -> dict:
        active = sum(1 for m, t in self.joined.items()
                     if t < end and (self.status[m] == "active" or self.since[m] >= end))
        new = [m for m, t in self.joined.items() if start <= t < end]
        sales = Counter()
        for _, at, amount, kind in self.orders:
            if start <= at < end:
                sales[kind] += amount
        sharers = len({c[0] for c in self.clicks if start <= c[2] < end})
        return {"active_members": active, "new_members": len(new),
                "participation_rate": _ratio(sharers, active),
                "referral_rate": _ratio(sum(1 for m in new if m in self.referred), len(new)), "sales": sales}

    def cohort(self, start, end) -> dict:
        cohort = {m for m, t in self.joined.items() if start <= t < end}
        referred = cohort & self.referred
        retention = []
        for month_start, month_end in MONTHS:
            if month_start < start:
                continue
            buyers = {m for m, at, _, _ in self.orders if month_start <= at < month_end}
            retention.append(_ratio(len(referred & buyers), len(referred)))
        revenue = sum(a for m, at, a, _ in self.orders
                      if m in referred and timedelta(0) <= at - self.joined[m] < timedelta(days=365))
        k = {}
        for days in (30, 90):
            brought = [m for m in self.referred if self.sponsor.get(m) in cohort
                       and timedelta(0) <= self.joined[m] - self.joined[self.sponsor[m]] <= timedelta(days=days)]
            k[f"{days}d"] = _ratio(len(brought), len(cohort))
        # Everyone below a cohort member (the nearest), joined before the period's end, by level.
        levels = Counter()
        for member, t in self.joined.items():
            if t >= END:
                continue
            seen, up, level = {member}, self.sponsor.get(member), 1
            while up is not None and up not in cohort and up not in seen:
                seen.add(up)
                up, level = self.sponsor.get(up), level + 1
            if up in cohort:
                levels[level] += 1
        return {"members": len(cohort), "referred": len(referred), "retention": retention, "revenue": revenue,
                "k": k, "cascade": {"depth": max(levels, default=0), "widest_level": max(levels.values(), default=0),
                                    "size": sum(levels.values())}}


def test_a_generated_programme_s_kpis_match_an_independent_computation(settings, clean_cypher, app):
    key_file = settings.var_dir / "demo-admin-key"
    key_file.unlink(missing_ok=True)  # a key of an earlier database would not open this one
    result = run_cli(settings, "demo", "--members", "2000")
    assert result.returncode == 0, result.stderr
    assert "Measuring the programme's KPIs from 2025-07-01 to 2026-01-01" in result.stdout
    headers = {"Authorization": f"Bearer {key_file.read_text().strip()}"}
    key_file.unlink()
    served = app.test_client().get("/api/v1/kpis?from=2025-07-01&to=2026-01-01&by=month", headers=headers).get_json()
    assert served["run_id"] is not None  # the demo stored this period
    p = Programme(clean_cypher)
    assert len(p.referred) > 20 and len(p.clicks) > 1000  # enough to mean something

    def compare(got: dict, start, end) -> None:
        want = {**p.funnel(start, end), **p.programme(start, end)}
        for name in ("clicks", "unique_visitors", "sharers", "referred_signups", "signups_by_click", "first_orders",
                     "active_members", "new_members"):
            assert got[name] == want[name], (name, start)
        for name in ("click_to_signup", "signup_to_first_order", "participation_rate", "referral_rate"):
            assert got[name]["value"] == want[name], (name, start)
        assert got["referred_sales"] == ({"USD": _money(want["referred_sales"])} if want["referred_sales"] else {})
        assert {k: v for k, v in got["sales"].get("USD", {}).get("by_kind", {}).items() if v != "0.00"} == \
            {k: _money(v) for k, v in want["sales"].items() if v}

    compare(served["headline"], START, END)
    assert [g["key"] for g in served["groups"]] == [f"{s:%Y-%m}" for s, _ in MONTHS]
    for group, (start, end) in zip(served["groups"], MONTHS):
        compare(group, start, end)
    for got, (start, end) in zip(served["cohorts"], MONTHS):
        want = p.cohort(start, end)
        assert (got["members"], got["referred"]) == (want["members"], want["referred"])
        assert [r["value"] for r in got["retention"]["referred"]] == want["retention"]
        assert got["clv"]["referred"]["revenue"] == ({"USD": _money(want["revenue"])} if want["revenue"] else {})
        assert {k: r["value"] for k, r in got["k"].items()} == want["k"]
        assert got["cascade"] == want["cascade"]
