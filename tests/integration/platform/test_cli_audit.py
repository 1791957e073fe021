"""Every command that changes stored data leaves an audit event, success or not."""

from tests.conftest import post_csv, run_cli

MEMBERS = "id,sponsor_id,joined_at,status,country\nR,,2024-01-01T00:00:00Z,active,US\nA,R,2024-01-02T00:00:00Z,active,US\n"


def _events(services) -> list[tuple[str, str, str]]:
    items = services.access.audit_page(100, None)["items"]
    return [(e["action"], e["target"], e["outcome"]) for e in reversed(items) if e["key_id"] == "cli"]


def test_analyze_migrate_and_refused_imports_are_audited(tmp_path, settings, services, client, admin):
    assert post_csv(client, "members", MEMBERS, admin).status_code == 200
    assert run_cli(settings, "db", "migrate").returncode == 0
    analyzed = run_cli(settings, "analyze", "cycles")
    assert analyzed.returncode == 0, analyzed.stderr
    run_id, *summary = analyzed.stdout.strip().splitlines()
    assert summary == ["  cycles: 0", "  multiple sponsors: 0"]  # what the run found
    listed = run_cli(settings, "analyze", "runs")
    assert listed.returncode == 0 and listed.stdout.splitlines() == [
        f"{run_id}  cycles  complete  cycles 0, multiple sponsors 0"]
    bad = tmp_path / "bad.csv"
    bad.write_text("id,sponsor_id,joined_at,status,country\nB,NOPE,2024-01-03T00:00:00Z,active,US\n")
    refused = run_cli(settings, "import", "--members", str(bad))
    assert refused.returncode == 1 and "row 2: sponsor_id: NOPE does not exist" in refused.stderr
    assert run_cli(settings, "analyze", "compliance").returncode == 1  # no period: refused before a run exists

    events = _events(services)
    assert events[0] == ("db migrate", "", "ok")
    assert events[1] == ("analyze", run_id, "ok")
    assert events[2][:2] == ("import members", str(bad)) and events[2][2].startswith("refused: members import refused")
    assert events[3][:2] == ("analyze", "compliance") and events[3][2].startswith("refused: a compliance run needs")
    assert len(events) == 4
    detail = services.access.audit_page(100, None)["items"]
    analyze_event = next(e for e in detail if e["action"] == "analyze" and e["outcome"] == "ok")
    assert analyze_event["detail"] == {"kind": "cycles", "from": None, "to": None,
                                       "summary": {"cycles": 0, "multiple_sponsors": 0}}


def test_a_file_the_csv_reader_cannot_read_is_one_line_of_reason_not_a_traceback(tmp_path, settings, clean_cypher):
    huge = tmp_path / "huge.csv"
    huge.write_text("id,sponsor_id,joined_at,status,country\nA,," + "x" * 10_000_000 + ",active,US\n")
    result = run_cli(settings, "import", "--members", str(huge))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.rstrip("\n").splitlines() == [
        "  row 2: not readable as CSV: field larger than field limit (131072)",
        "Error: the file is not readable CSV at line 2; nothing was written"]
