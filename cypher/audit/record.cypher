// One audit event per write: who, when, what, and how it ended.
CREATE (a:AuditEvent {id: randomUUID(), at: datetime(), key_id: $key_id, role: $role,
                      action: $action, target: $target, outcome: $outcome, detail: $detail})
