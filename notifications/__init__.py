"""The notification outbox: messages to producers and their contacts, written in the
same transaction as the change they report. Users read theirs in the app; a later
outbox sender delivers pending rows by SMS, Zalo or e-mail (docs/ARCHITECTURE.md)."""
