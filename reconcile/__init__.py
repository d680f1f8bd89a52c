"""Reconciliation: bank notifications (SePay, Casso) and statements tell which orders are paid."""
