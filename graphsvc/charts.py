"""Server-side SVG charts for the reports: the geometry of labelled bar charts
and heat maps, drawn by the macros in ``graphsvc/templates/charts.html``.

Every chart carries its axis titles (with units), a value on every bar or
cell and the category under it, so a screenshot reads without a legend hunt.
"""

from __future__ import annotations

from typing import Callable, Sequence

from jinja2 import ChoiceLoader, Environment, PackageLoader, select_autoescape

__all__ = ["environment", "bar_chart", "heat_map", "SERIES_COLOURS"]

SERIES_COLOURS = ("#4f6bed", "#e3883a", "#2f9e6e", "#b0478f")
# Geometry (SVG user units): plot's left edge, top, height; gap between categories, bar width.
_LEFT, _TOP, _PLOT, _GAP, _BAR = 90, 30, 180, 16, 48
_CELL_W, _CELL_H, _ROW_TITLE = 56, 24, 170


def environment(package: str) -> Environment:
    """A template environment for ``package``'s templates and the chart macros."""
    return Environment(loader=ChoiceLoader([PackageLoader(package, "templates"), PackageLoader("graphsvc", "templates")]),
                       autoescape=select_autoescape(["html"]))


def _half(value):
    return value // 2 if isinstance(value, int) else value / 2


def bar_chart(categories: Sequence[str], series: dict[str, Sequence], *, fmt: Callable[[object], str],
              x_title: str, y_title: str) -> dict:
    """Grouped bars, one group per category and one bar per series (a legend when
    there are several), on a scale from the lowest value (or 0) to the highest (or 0);
    ``fmt`` writes a value as shown on its bar and on the ticks.

    >>> chart = bar_chart(["a", "b"], {"n": [10, -4]}, fmt=str, x_title="x", y_title="y (count)")
    >>> [(b["category"], b["text"], b["height"]) for b in chart["bars"]], [t["label"] for t in chart["ticks"]]
    ([('a', '10', 128.6), ('b', '-4', 51.4)], ['-4', '0', '5', '10'])
    """
    values = [v for vs in series.values() for v in vs]
    low, high = min([0, *values]), max([0, *values])
    span = (high - low) or 1

    def y(value) -> float:
        return round(_TOP + _PLOT * (high - value) / span, 1)

    # Wide enough for the longest category label under its bars (about 6 units a character).
    pitch = max(len(series) * _BAR + _GAP, 6 * max(map(len, categories), default=0) + _GAP)
    bars = []
    for s, (name, vs) in enumerate(series.items()):
        for c, (category, value) in enumerate(zip(categories, vs)):
            top, bottom = y(max(value, 0)), y(min(value, 0))
            bars.append({"series": name, "category": category, "text": fmt(value), "x": _LEFT + _GAP + c * pitch + s * _BAR,
                         "y": top, "height": round(bottom - top, 1), "colour": SERIES_COLOURS[s % len(SERIES_COLOURS)],
                         "negative": value < 0})
    tick_values = sorted({low, 0, _half(high), high}) if high else sorted({low, _half(low), 0})
    base = _TOP + _PLOT
    return {"bars": bars, "ticks": [{"label": fmt(v), "y": y(v)} for v in tick_values],
            "labels": [{"text": category, "x": _LEFT + _GAP + c * pitch + len(series) * _BAR / 2}
                       for c, category in enumerate(categories)],
            "legend": [{"name": name, "colour": SERIES_COLOURS[s % len(SERIES_COLOURS)]}
                       for s, name in enumerate(series)] if len(series) > 1 else [],
            "left": _LEFT, "top": _TOP, "base": base, "zero": y(0), "bar_width": _BAR,
            "width": _LEFT + _GAP + max(len(categories), 1) * pitch, "height": base + 60,
            "x_title": x_title, "y_title": y_title}


def heat_map(rows: Sequence[str], columns: Sequence[str], cells: Sequence[Sequence[float | None]], *,
             fmt: Callable[[float], str], x_title: str, y_title: str) -> dict:
    """Cells shaded by their value in [0, 1] (darker is higher; None is blank,
    marked "–"), a row title on the left and a column title on top of each.

    >>> chart = heat_map(["2024-01"], ["0", "1"], [[1.0, None]], fmt=lambda v: f"{v:.0%}", x_title="x", y_title="y")
    >>> [(c["text"], c["fill"]) for c in chart["cells"]]
    [('100%', 'rgb(31, 58, 147)'), ('–', '#f2f2f2')]
    """
    out = []
    for r, row in enumerate(cells):
        for c, value in enumerate(row):
            if value is None:
                fill, text = "#f2f2f2", "–"
            else:
                # From pale (0) to deep blue (1).
                level = max(0.0, min(1.0, value))
                fill = "rgb({}, {}, {})".format(*(round(p + (q - p) * level) for p, q in ((235, 31), (240, 58), (252, 147))))
                text = fmt(value)
            out.append({"x": _ROW_TITLE + c * _CELL_W, "y": _TOP + r * _CELL_H, "fill": fill, "text": text,
                        "dark": value is not None and value > 0.5})
    return {"cells": out, "cell_width": _CELL_W, "cell_height": _CELL_H,
            "rows": [{"text": t, "y": _TOP + r * _CELL_H + _CELL_H / 2 + 4} for r, t in enumerate(rows)],
            "columns": [{"text": t, "x": _ROW_TITLE + c * _CELL_W + _CELL_W / 2} for c, t in enumerate(columns)],
            "left": _ROW_TITLE, "top": _TOP, "width": _ROW_TITLE + max(len(columns), 1) * _CELL_W + 10,
            "height": _TOP + max(len(rows), 1) * _CELL_H + 40, "x_title": x_title, "y_title": y_title}
