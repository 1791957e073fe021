// Every version of a commission plan is kept; a run names the version it used.
CREATE CONSTRAINT plan_id_version_unique IF NOT EXISTS FOR (p:Plan) REQUIRE (p.id, p.version) IS UNIQUE
