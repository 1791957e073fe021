"""The first load's column checks accept only what the importer's row checks
accept, with the same value: a value they pass is written as it stands (times as
given, minor units with the decimal point removed), so the importer's parsing
is the oracle."""

from datetime import datetime, timezone

import pyarrow as pa
from hypothesis import given, strategies as st

from graphsvc.money import MINOR_DIGITS
from graphsvc.network.fields import Time, canonical_amounts, parse_amount

DIGIT = st.sampled_from("0123456789")
# Strings near the canonical forms: most are valid, many are just off.
TIMES = st.builds(
    lambda y, mo, d, h, mi, s, zone: f"{y}-{mo}-{d}T{h}:{mi}:{s}{zone}",
    st.text(DIGIT, min_size=4, max_size=4), st.text(DIGIT, min_size=2, max_size=2),
    st.text(DIGIT, min_size=2, max_size=2), st.text(DIGIT, min_size=2, max_size=2),
    st.text(DIGIT, min_size=2, max_size=2), st.text(DIGIT, min_size=2, max_size=2),
    st.sampled_from(["Z", "", "+00:00", "z"]),
)
AMOUNTS = st.builds(lambda whole, dot, fraction: whole + dot + fraction,
                    st.text(DIGIT, min_size=0, max_size=17), st.sampled_from(["", ".", ","]),
                    st.text(DIGIT, min_size=0, max_size=4))


def _column(value: str) -> pa.ChunkedArray:
    return pa.chunked_array([[value]])


@given(TIMES)
def test_a_time_passed_by_the_column_check_is_that_instant_for_the_importer(value):
    if Time().canonical(_column(value)):
        expected = datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
        assert datetime.fromisoformat(Time().row(value)) == expected


@given(TIMES)
def test_every_valid_utc_time_in_the_canonical_spelling_passes(value):
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%SZ")
    except ValueError:
        return
    # strptime matches the literal Z case-insensitively; the canonical spelling is upper-case.
    if value[0] != "0" and value.endswith("Z"):
        assert Time().canonical(_column(value))


@given(AMOUNTS, st.sampled_from(sorted(MINOR_DIGITS) + ["usd", "XXX"]))
def test_an_amount_passed_by_the_column_check_is_written_as_the_importer_would(amount, currency):
    if canonical_amounts(_column(amount), _column(currency)):
        assert parse_amount(currency, amount) == (amount, int(amount.replace(".", "")))


def test_the_canonical_amounts_pass():
    assert canonical_amounts(_column("10.50"), _column("USD"))
    assert canonical_amounts(_column("0.001"), _column("KWD"))
    assert canonical_amounts(_column("1200"), _column("JPY"))
    for amount, currency in (("10.5", "USD"), ("010.50", "USD"), ("1200.", "JPY"), ("-1.00", "USD"), ("1.00", "usd")):
        assert not canonical_amounts(_column(amount), _column(currency)), (amount, currency)
