"""Compliance figures on tiny hand-built cases."""

from decimal import Decimal

from graphsvc.compliance.metrics import Line, Member, Order, branches, programme


def _check(report, rule):
    return next(c for c in report["checks"] if c["rule"] == rule)


def test_personal_volume_is_capped_month_by_month():
    members = [Member("A", "/A/"), Member("B", "/A/B/")]
    spread = [Order("A", "B", "personal", 15_000, 202401), Order("A", "B", "personal", 15_000, 202402),
              Order("A", None, "retail", 10_000, 202401)]
    bunched = [Order("A", "B", "personal", 30_000, 202401), Order("A", None, "retail", 10_000, 202401)]
    # Spread: 150 + 150 both under the 200 cap -> (100 + 300) / 400 = 1.
    assert _check(programme(members, spread, []), "herbalife_end_user_sales")["observed"] == 1
    # Bunched: 300 in one month counts 200 -> (100 + 200) / 400 = 0.75.
    assert _check(programme(members, bunched, []), "herbalife_end_user_sales")["observed"] == Decimal("0.75")


def test_no_orders_gives_no_data_not_a_crash():
    report = programme([Member("A", "/A/")], [], [])
    koscot = _check(report, "koscot_recruitment_rewards")
    assert koscot["observed"] is None and koscot["passed"] is None
    assert report["volumes"] == {"retail": 0, "personal": 0, "enrollment": 0, "inventory": 0}
    assert report["income"]["participants"] == 1 and report["income"]["net_loss_share"] == 0


def test_branch_with_only_recruitment_volume_has_an_unbounded_ratio():
    members = [Member("A", "/A/"), Member("B", "/A/B/")]
    result = branches(members, [Order("B", None, "enrollment", 5_000, 202401)], [Line("A", 500, "enrollment", 202401)])
    assert result["A"]["recruitment_ratio"] is None and result["A"]["recruitment_volume"] == 5_000
    assert result["A"]["commissions_by_kind"]["enrollment"] == 500
    assert "recruitment_exceeds_end_user" in result["A"]["flags"]
    assert result["A"]["branch_size"] == 2 and result["B"]["branch_size"] == 1


def test_reversals_count_against_commissions():
    members = [Member("F", "/F/"), Member("A", "/F/A/")]
    orders = [Order("A", None, "retail", 10_000, 202401)]
    lines = [Line("F", 1_000, "retail", 202401), Line("F", -1_000, "retail", 202401)]
    report = programme(members, orders, lines)
    # Paid then reversed: F has no member-month with a positive total.
    assert report["commissions_by_kind"]["retail"] == 0
    assert _check(report, "amway_retail_customers")["observed"] == 0
