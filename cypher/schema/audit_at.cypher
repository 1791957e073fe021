// The audit trail is read newest first.
CREATE INDEX audit_at IF NOT EXISTS FOR (a:AuditEvent) ON (a.at)
