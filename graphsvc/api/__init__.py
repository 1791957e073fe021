"""The HTTP API under /api/v1: views, schemas, the policy table and problem responses."""
