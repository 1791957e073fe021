"""Compliance figures on tiny hand-built cases."""

from collections import defaultdict
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from graphsvc.compliance.metrics import Line, Member, Order, OrderColumns, branches, programme


def _check(report, rule):
    return next(c for c in report["checks"] if c["rule"] == rule)


def test_personal_volume_is_capped_month_by_month():
    members = [Member("A", None), Member("B", "A")]
    spread = [Order("A", "B", "personal", 15_000, 202401), Order("A", "B", "personal", 15_000, 202402),
              Order("A", None, "retail", 10_000, 202401)]
    bunched = [Order("A", "B", "personal", 30_000, 202401), Order("A", None, "retail", 10_000, 202401)]
    # Spread: 150 + 150 both under the 200 cap -> (100 + 300) / 400 = 1.
    assert _check(programme(members, spread, []), "herbalife_end_user_sales")["observed"] == 1
    # Bunched: 300 in one month counts 200 -> (100 + 200) / 400 = 0.75.
    assert _check(programme(members, bunched, []), "herbalife_end_user_sales")["observed"] == Decimal("0.75")


def test_no_orders_gives_no_data_not_a_crash():
    report = programme([Member("A", None)], [], [])
    koscot = _check(report, "koscot_recruitment_rewards")
    assert koscot["observed"] is None and koscot["passed"] is None
    assert report["volumes"] == {"retail": 0, "personal": 0, "enrollment": 0, "inventory": 0}
    assert report["income"]["participants"] == 1 and report["income"]["net_loss_share"] == 0


def test_branch_with_only_recruitment_volume_has_an_unbounded_ratio():
    members = [Member("A", None), Member("B", "A")]
    result = branches(members, [Order("B", None, "enrollment", 5_000, 202401)], [Line("A", 500, "enrollment", 202401)])
    assert result["A"]["recruitment_ratio"] is None and result["A"]["recruitment_volume"] == 5_000
    assert result["A"]["commissions_by_kind"]["enrollment"] == 500
    assert "recruitment_exceeds_end_user" in result["A"]["flags"]
    assert result["A"]["branch_size"] == 2 and result["B"]["branch_size"] == 1


def test_reversals_count_against_commissions():
    members = [Member("F", None), Member("A", "F")]
    orders = [Order("A", None, "retail", 10_000, 202401)]
    lines = [Line("F", 1_000, "retail", 202401), Line("F", -1_000, "retail", 202401)]
    report = programme(members, orders, lines)
    # Paid then reversed: F has no member-month with a positive total.
    assert report["commissions_by_kind"]["retail"] == 0
    assert _check(report, "amway_retail_customers")["observed"] == 0


@st.composite
def _networks(draw):
    n = draw(st.integers(1, 25))
    members = [Member(f"m{i}", draw(st.sampled_from([None] + [f"m{j}" for j in range(i)])) if i else None,
                      draw(st.booleans())) for i in range(n)]
    members = draw(st.permutations(members))
    ids = [m.id for m in members]
    orders = draw(st.lists(st.builds(
        Order, st.sampled_from(ids), st.none() | st.sampled_from(ids),
        st.sampled_from(["retail", "personal", "enrollment", "inventory"]), st.integers(1, 10_000),
        st.sampled_from([202401, 202402]), st.none() | st.sampled_from(["c1", "c2", "c3", "c4"])), max_size=40))
    lines = draw(st.lists(st.builds(
        Line, st.sampled_from(ids), st.integers(-500, 500),
        st.sampled_from(["retail", "personal", "enrollment", "inventory"]), st.sampled_from([202401, 202402])),
        max_size=20))
    return members, orders, lines


@settings(max_examples=200, deadline=None)
@given(_networks())
def test_every_branch_equals_a_walk_up_the_sponsors(network):
    members, orders, lines = network
    sponsor = {m.id: m.sponsor for m in members}

    def upline_and_self(member):
        while member is not None:
            yield member
            member = sponsor[member]

    # The oracle: every order, line and participant is added to each member above it.
    volumes = defaultdict(lambda: defaultdict(int))
    paid = defaultdict(lambda: defaultdict(int))
    customers = defaultdict(set)
    size = defaultdict(int)
    for o in orders:
        for m in upline_and_self(o.seller):
            volumes[m][o.kind] += o.amount
            if o.kind == "retail" and o.customer:
                customers[m].add(o.customer)
    for line in lines:
        for m in upline_and_self(line.beneficiary):
            paid[m][line.order_kind] += line.amount
    for member in members:
        for m in upline_and_self(member.id):
            size[m] += member.participant
    result = branches(members, orders, lines)
    for m in sponsor:
        got = result[m]
        assert got["volumes"] == {k: volumes[m][k] for k in got["volumes"]}
        assert got["commissions_by_kind"] == {k: paid[m][k] for k in got["commissions_by_kind"]}
        assert got["distinct_retail_customers"] == len(customers[m])
        assert got["branch_size"] == size[m]


@settings(max_examples=100, deadline=None)
@given(_networks())
def test_orders_as_columns_with_integer_ids_give_the_same_figures_as_rows(network):
    members, orders, lines = network
    # As the service reads them: integer ids (internal node ids), -1 for a buyer who is
    # not a participant, '' for no customer.
    number = {m.id: 7 * i + 3 for i, m in enumerate(members)}
    name = {v: k for k, v in number.items()}
    numbered = [Member(number[m.id], number.get(m.sponsor), m.participant) for m in members]
    columns = OrderColumns([number[o.seller] for o in orders], [number.get(o.buyer, -1) for o in orders],
                           [o.kind for o in orders], [o.amount for o in orders], [o.month for o in orders],
                           [o.customer or "" for o in orders])
    numbered_lines = [line._replace(beneficiary=number[line.beneficiary]) for line in lines]

    by_rows, by_columns = branches(members, orders, lines), branches(numbered, columns, numbered_lines)
    by_columns.rename(name)
    assert [by_columns[m.id] for m in members] == [by_rows[m.id] for m in members]
    rows_report, columns_report = programme(members, orders, lines), programme(numbered, columns, numbered_lines)
    for check in columns_report["checks"]:
        for item in check.get("listed", ()):
            item["member_id"] = name[item["member_id"]]
        check.get("listed", []).sort(key=lambda item: (item["member_id"], item["month"]))
    for report in (rows_report, columns_report):
        report["income"]["distribution"] = report["income"]["distribution"].tolist()
    assert columns_report == rows_report
