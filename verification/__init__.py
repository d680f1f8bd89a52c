"""Commune verification: the officer queue, decisions, payment-detail approvals and the audit log."""
