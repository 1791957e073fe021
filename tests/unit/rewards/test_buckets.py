"""A bucket's lists, directory and totals, worked by hand; packing and unpacking are
inverse on random lines; a run's merge keeps settled lines and cancels dropped ones."""

from hypothesis import given, strategies as st

from graphsvc.rewards import buckets
from graphsvc.rewards.buckets import Stored, columns_of, digest, merged, packed, parts, unpacked


def line(member, at, key, amount=500, currency="EUR", status="approved", payout="", badge=""):
    return Stored(member, at, key, f"e-{key}", "friend", amount, currency, status, "", badge, -1, payout)


def test_a_bucket_holds_each_member_s_lines_as_one_slice_with_its_totals():
    lines = [line("b", 5, "k3"), line("a", 9, "k1", status="pending"), line("a", 2, "k2", payout="B1"),
             line("b", 5, "k0", amount=-500), line("a", 1, "k9", amount=0, currency="", badge="star")]
    bucket = packed("R", columns_of(sorted(lines)))
    # Sorted by member, time, key: a's three lines (1, 2, 9), then b's two at 5 (k0 before k3).
    assert bucket["keys"] == ["k9", "k2", "k1", "k0", "k3"]
    assert (bucket["members"], bucket["starts"]) == (["a", "b"], [0, 3, 5])
    assert (bucket["first_ats"], bucket["first_keys"]) == ([1, 5], ["k9", "k0"])
    # The badge counts nowhere; b's clawback and its line net to 0 in one total of two lines.
    assert list(zip(bucket["t_members"], bucket["t_currencies"], bucket["t_statuses"], bucket["t_payouts"],
                    bucket["t_amounts"], bucket["t_lines"])) == [
        ("a", "EUR", "approved", "B1", 500, 1), ("a", "EUR", "pending", "", 500, 1), ("b", "EUR", "approved", "", 0, 2)]
    assert bucket["approvable"] == 2  # b's two: a's badge has no currency, its other approved line is taken
    assert unpacked({"rule_id": "R", **bucket}) == sorted(lines)


STORED = st.builds(Stored, st.sampled_from("abc"), st.integers(0, 5), st.text("xyz", min_size=1, max_size=3),
                   st.just("e"), st.just("friend"), st.integers(-900, 900), st.sampled_from(["", "EUR", "USD"]),
                   st.sampled_from(["pending", "approved", "canceled"]), st.just(""), st.just(""),
                   st.integers(-1, 9), st.sampled_from(["", "B1"]))


@given(st.lists(STORED, unique_by=lambda x: x.key))
def test_unpacking_a_packed_bucket_gives_its_lines_back_in_order(lines):
    assert unpacked({"rule_id": "R", **packed("R", columns_of(sorted(lines)))}) == sorted(lines)


def test_a_big_bucket_fills_nodes_of_a_part_each_with_their_own_directory(monkeypatch):
    monkeypatch.setattr(buckets, "PART", 2)
    lines = [line("a", 1, "k1"), line("b", 2, "k2"), line("b", 3, "k3"), line("b", 4, "k4", payout="B1")]
    nodes = parts("R", "run", (202501, 7), lines, 0)
    # b's three lines span both nodes: its first there at 2 in the first, at 3 in the second.
    assert [(n["part"], n["members"], n["starts"], n["first_ats"], n["keys"]) for n in nodes] == [
        (0, ["a", "b"], [0, 1, 2], [1, 2], ["k1", "k2"]), (1, ["b"], [0, 2], [3], ["k3", "k4"])]
    assert [line for n in nodes for line in unpacked(n)] == lines
    # Every node carries the bucket's digest, which a batch marking a line leaves as it was.
    assert {n["digest"] for n in nodes} == {digest(lines)} == {digest(lines[:3] + [lines[3]._replace(payout="")])}
    assert digest(lines) != digest(lines[:3] + [lines[3]._replace(amount=1)])


def test_a_run_s_merge_keeps_settled_lines_and_cancels_those_it_no_longer_produces():
    settled, pending, dropped, same = (line("a", 1, "s", payout="B1"), line("a", 2, "p", status="pending"),
                                       line("b", 3, "d", status="pending"), line("b", 4, "u"))
    new = line("c", 5, "n")
    lines, written, canceled = merged([settled, pending, dropped, same],
                                      [settled._replace(amount=1), pending._replace(status="approved"), same, new])
    assert sorted(lines) == [settled, pending._replace(status="approved"), dropped._replace(status="canceled"),
                             same, new]
    assert (written, canceled) == (2, 1)  # the approved line and the new one; the dropped one


def test_a_key_of_evaluate_s_form_is_stored_empty_and_made_again():
    mine, other = Stored("m", 1, "R:O1:friend:m", "O1", "friend", 500, "EUR", "approved", "", "", -1, ""), \
        Stored("m", 2, "R:O1:referrer:m:clawback", "O1", "clawback", -500, "EUR", "approved", "", "", -1, "")
    node = parts("R", "run", (202501, 3), [mine, other], 0)[0]
    assert node["keys"] == ["", "R:O1:referrer:m:clawback"]
    assert unpacked(node) == [mine, other]
