"""The audit trail: hash chain and verification, search and export, retention, usage figures."""
