"""The marketer's KPI report: an HTML page (headline figures against the previous
period, funnel, cohort retention, CLV, K, cost and ROI by month, each chart
labelled) or the figures as CSV rows, both from the answer of
:meth:`graphsvc.kpis.service.KpiService.figures`."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from ..charts import bar_chart, environment, heat_map
from ..money import MINOR_DIGITS

__all__ = ["kpis_html", "kpis_csv", "HEADLINE_RATIOS", "DEFINITIONS"]

_templates = environment("graphsvc.kpis")

# The ratios of the headline table, in the order a marketer reads the funnel.
HEADLINE_RATIOS = ("participation_rate", "share_through", "click_to_signup", "signup_to_first_order", "referral_rate")
HEADLINE_COUNTS = ("active_members", "sharers", "clicks", "unique_visitors", "new_members", "referred_signups",
                   "signups_by_click", "signups_by_code", "first_orders", "at_risk", "at_risk_downline")
# What each figure measures: quoted by the report and the API description.
DEFINITIONS = {
    "participation_rate": "members whose link or code was clicked in the period ÷ members active at its end",
    "share_through": "unique visitors who clicked a member's link ÷ members whose link was clicked",
    "click_to_signup": "members who joined in the period attributed through a click ÷ unique visitors",
    "signup_to_first_order": "referred members who joined in the period with a paid order within the first-order "
                             "window (default 30 days) of joining ÷ referred members who joined",
    "referral_rate": "members who joined through a referral (a click or a code, not rejected) ÷ all who joined",
    "sales": "paid orders in the period by kind; retail is sold to outside customers, own purchases are "
             "participants buying (personal, enrollment, inventory)",
    "referred_sales": "paid orders in the period that belong to referred members (their purchases and retail sales)",
    "cost": "commissions of complete commission runs whose period lies in the period plus reward lines approved "
            "in it (clawbacks subtract)",
    "cac": "cost ÷ referred members who joined in the period, per currency",
    "roi": "(referred members' sales − cost) ÷ cost, per currency",
    "retention": "share of a monthly join cohort with a paid order in each month since, referred and not apart",
    "clv": "paid orders of a join cohort's members in each one's first 365 days, per member",
    "k": "referred members brought in by a cohort's members within 30 and 90 days of their own joining, per member "
         "of the cohort (the viral coefficient, measured)",
    "cascade": "everyone below a cohort's members who joined before the period's end: deepest level, widest "
               "level, size",
    "at_risk": "active members whose sponsor became inactive or terminated in the period, and their downlines",
}


def _minor(text: str, currency: str) -> int:
    return int(Decimal(text).scaleb(MINOR_DIGITS[currency]))


def _money_fmt(currency: str):
    return lambda minor: str(Decimal(minor).scaleb(-MINOR_DIGITS[currency]))


def _currencies(figures: dict) -> list[str]:
    h = figures["headline"]
    return sorted({*h["sales"], *h["cost"], *h["referred_sales"]})


def _change(now, before) -> str:
    """``now`` against ``before`` (numbers or decimal strings) as a signed difference."""
    if now is None or before is None:
        return "–"
    difference = Decimal(str(now)) - Decimal(str(before))
    return f"{difference:+}"


def _dig(figures: dict, keys: tuple):
    """``figures[k1][k2]...``, None where a level is missing (a currency the other period lacks)."""
    for key in keys:
        figures = (figures or {}).get(key)
    return figures


def _headline_rows(figures: dict, previous: dict) -> list[dict]:
    h, p = figures["headline"], previous["headline"]
    rows = [{"name": name, "now": h[name], "before": p[name], "change": _change(h[name], p[name]), "reason": None}
            for name in HEADLINE_COUNTS]
    for name in HEADLINE_RATIOS:
        rows.append({"name": name, "now": h[name]["value"], "before": p[name]["value"],
                     "change": _change(h[name]["value"], p[name]["value"]), "reason": h[name]["reason"],
                     "detail": f'{h[name]["numerator"]} ÷ {h[name]["denominator"]}'})
    for currency in _currencies(figures):
        for label, keys in (("retail sales", ("sales", currency, "retail")),
                            ("own purchases", ("sales", currency, "own_purchases")),
                            ("referred members' sales", ("referred_sales", currency)),
                            ("programme cost", ("cost", currency, "total")),
                            ("CAC", ("cac", currency, "value")), ("ROI", ("roi", currency, "value"))):
            now, before = _dig(h, keys), _dig(p, keys)
            rows.append({"name": f"{label} ({currency})", "now": now, "before": before, "change": _change(now, before),
                         "reason": None})
    return rows


def _charts(figures: dict) -> dict:
    h, cohorts, months = figures["headline"], figures["cohorts"], figures["by"]["month"]
    charts = {"funnel": bar_chart(
        ["clicks", "unique visitors", "signups via click", "referred signups", "first orders"],
        {"members or clicks": [h["clicks"], h["unique_visitors"], h["signups_by_click"], h["referred_signups"],
                               h["first_orders"]]},
        fmt=str, x_title="Funnel step", y_title="Count (clicks, visitors or members)")}
    rows, cells = [], []
    width = len(cohorts)
    for cohort in cohorts:
        for part in ("referred", "not_referred"):
            if not cohort["clv"][part]["members"]:
                continue  # an empty part of a cohort has no row
            shares = [share["value"] for share in cohort["retention"][part]]
            rows.append(f'{cohort["month"]} {part.replace("_", " ")} ({cohort["clv"][part]["members"]})')
            cells.append(shares + [None] * (width - len(shares)))
    charts["retention"] = heat_map(rows, [f"+{m}" for m in range(width)], cells, fmt=lambda v: f"{v:.0%}",
                                   x_title="Months since joining (share of the cohort with a paid order)",
                                   y_title="Join cohort, referred or not (members)")
    charts["k"] = bar_chart([c["month"] for c in cohorts],
                            {"within 30 days": [c["k"]["30d"]["value"] or 0 for c in cohorts],
                             "within 90 days": [c["k"]["90d"]["value"] or 0 for c in cohorts]},
                            fmt=lambda v: f"{v:.2f}", x_title="Join cohort (month)",
                            y_title="Referred signups per member (K)")
    charts["clv"], charts["cost"], charts["roi"] = {}, {}, {}
    for currency in _currencies(figures):
        charts["clv"][currency] = bar_chart(
            [c["month"] for c in cohorts],
            {part.replace("_", " "): [_minor(c["clv"][part]["per_member"].get(currency, "0"), currency) for c in cohorts]
             for part in ("referred", "not_referred")},
            fmt=_money_fmt(currency), x_title="Join cohort (month)",
            y_title=f"First-year revenue per member ({currency})")
        if currency not in h["cost"]:
            continue  # no cost in this currency: the page says so instead of drawing zeros
        charts["cost"][currency] = bar_chart(
            [m["key"] for m in months],
            {"commissions": [_minor(m["cost"].get(currency, {}).get("commissions", "0"), currency) for m in months],
             "rewards": [_minor(m["cost"].get(currency, {}).get("rewards", "0"), currency) for m in months]},
            fmt=_money_fmt(currency), x_title="Month", y_title=f"Programme cost ({currency})")
        charts["roi"][currency] = bar_chart(
            [m["key"] for m in months],
            {"ROI": [(m["roi"].get(currency) or {}).get("value") or 0 for m in months]},
            fmt=lambda v: f"{v:.0%}", x_title="Month (0% where there was no cost)",
            y_title=f"ROI of referred sales over cost ({currency})")
    return charts


def kpis_html(figures: dict, previous: dict) -> str:
    """The report page for ``figures``, each headline figure beside ``previous``'s."""
    return _templates.get_template("kpis.html").render(
        figures=figures, previous=previous, headline=_headline_rows(figures, previous), charts=_charts(figures),
        definitions=DEFINITIONS, currencies=_currencies(figures))


def kpis_csv(figures: dict) -> str:
    """One row per figure: breakdown (period, month, campaign, channel), group key,
    figure, currency (empty for counts and ratios) and value."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["breakdown", "key", "figure", "currency", "value"])
    groups = [("period", None, figures["headline"])] + [(name, g["key"], g) for name, gs in figures["by"].items()
                                                      for g in gs]
    for breakdown, key, group in groups:
        for name in (*HEADLINE_COUNTS, *HEADLINE_RATIOS):
            if name in group:
                value = group[name]["value"] if isinstance(group[name], dict) else group[name]
                writer.writerow([breakdown, key or "", name, "", "" if value is None else value])
        for currency, amount in group.get("referred_sales", {}).items():
            writer.writerow([breakdown, key or "", "referred_sales", currency, amount])
        for currency, parts in group.get("sales", {}).items():
            for part in ("retail", "own_purchases"):
                writer.writerow([breakdown, key or "", part, currency, parts[part]])
        for currency, parts in group.get("cost", {}).items():
            writer.writerow([breakdown, key or "", "cost", currency, parts["total"]])
            writer.writerow([breakdown, key or "", "cac", currency, group["cac"][currency]["value"] or ""])
            roi = group["roi"][currency]["value"]
            writer.writerow([breakdown, key or "", "roi", currency, "" if roi is None else roi])
    return out.getvalue()
