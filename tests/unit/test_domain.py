"""The vocabulary has one home: nothing under graphsvc/ or cypher/ writes it out again."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graphsvc import domain
from graphsvc.analysis_runs.kinds import KINDS as ANALYSIS_KINDS

ROOT = Path(__file__).resolve().parents[2]
HOME = ROOT / "graphsvc" / "domain.py"
# The analysis kinds live with the registry that runs them.
ANALYSIS_HOME = ROOT / "graphsvc" / "analysis_runs" / "kinds.py"


def _sources(home: Path = HOME) -> list[Path]:
    files = [*(ROOT / "graphsvc").rglob("*.py"), *(ROOT / "cypher").rglob("*.cypher")]
    return [f for f in files if f != home]


LISTS = {
    "member statuses": domain.MEMBER_STATUSES,
    "order kinds": domain.ORDER_KINDS,
    "order statuses": domain.ORDER_STATUSES,
    "identifier kinds": domain.IDENTIFIER_KINDS,
    "roles": domain.ROLES,
    "analysis kinds": tuple(ANALYSIS_KINDS),
}


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_list_of_the_vocabulary_is_written_out_again(name):
    # Two or more of its words as adjacent quoted literals is a copy of the list.
    word = "|".join(map(re.escape, LISTS[name]))
    copy = re.compile(rf"([\"'])({word})\1\s*,\s*([\"'])({word})\3")
    home = ANALYSIS_HOME if name == "analysis kinds" else HOME
    found = [f"{f.relative_to(ROOT)}: {m.group(0)}" for f in _sources(home) for m in copy.finditer(f.read_text())]
    assert found == []


SCALARS = {
    "RATE_SCALE": re.compile(r"\b(1000000|1_000_000|10\s*\*\*\s*6)\b"),
    "the id rule": re.compile(re.escape("A-Za-z0-9_.:-")),
    "a bound's definition": re.compile(r"^\s*(MAX_LEVELS|MAX_PAGE_SIZE|MAX_DOWNLINE_DEPTH|RATE_SCALE)\s*=", re.M),
}


@pytest.mark.parametrize("name", sorted(SCALARS))
def test_no_constant_of_the_vocabulary_is_written_out_again(name):
    found = [f"{f.relative_to(ROOT)}: {m.group(0)}" for f in _sources() for m in SCALARS[name].finditer(f.read_text())]
    assert found == []


def test_api_and_commissions_take_the_vocabulary_from_its_home():
    importers = [f.relative_to(ROOT) for package in ("api", "commissions")
                 for f in (ROOT / "graphsvc" / package).rglob("*.py") if "network.importer" in f.read_text()]
    assert importers == []


def test_the_id_rule_accepts_what_it_says():
    assert domain.MEMBER_ID.match("M0000042") and domain.PLAN_ID.match("std-2025.v1")
    assert not domain.PLAN_ID.match("=1+1") and not domain.MEMBER_ID.match("a" * 65)
