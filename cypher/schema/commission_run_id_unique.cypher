// Commission runs are addressed by id (derived from plan and period).
CREATE CONSTRAINT commission_run_id_unique IF NOT EXISTS FOR (r:CommissionRun) REQUIRE r.id IS UNIQUE
