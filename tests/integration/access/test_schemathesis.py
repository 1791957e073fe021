"""Property-based checks of the whole API against its own OpenAPI document,
with an admin key: no server errors, and every response matches its schema."""

import schemathesis
from schemathesis.checks import positive_data_acceptance
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from tests.conftest import post_csv

MEMBERS = """id,sponsor_id,joined_at,status,country
R,,2024-01-01T00:00:00Z,active,US
A,R,2024-01-02T00:00:00Z,active,US
A1,A,2024-01-03T00:00:00Z,active,US
"""

# Import bodies: CSV-like text, sometimes well-formed, mostly not.
schemathesis.openapi.media_type(
    "text/csv",
    st.one_of(
        st.text(max_size=300),
        st.builds(lambda rows: "member_id,kind,value\n" + "".join(f"{m},{k},{v}\n" for m, k, v in rows),
                  st.lists(st.tuples(st.sampled_from(["R", "A", "Z"]), st.sampled_from(["email", "ip", "x"]),
                                     st.text(max_size=20)), max_size=5)),
    ).map(str.encode),
)


OPERATIONS_CHECKED = 51
# 150 per operation: over 3,000 cases over the API in all.
EXAMPLES = 150


def test_api_conforms_to_its_openapi_document(app, admin):
    assert post_csv(app.test_client(), "members", MEMBERS, admin).status_code == 200
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == OPERATIONS_CHECKED
    cases = 0
    for operation in operations:

        @hsettings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        @given(case=operation.as_strategy())
        def conforms(case):
            nonlocal cases
            cases += 1
            # Opaque cursors and CSV bodies that are schema-valid strings are still refused
            # when they are not real cursors or files: that refusal is correct.
            case.call_and_validate(headers=admin, excluded_checks=[positive_data_acceptance])

        conforms()
    # Operations without parameters have few distinct cases; the rest make up the 3,000.
    print(f"schemathesis: {cases} cases over {len(operations)} operations")
    assert cases >= 3000
