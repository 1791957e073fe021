"""Access: API keys, roles, member scope and the audit trail."""
