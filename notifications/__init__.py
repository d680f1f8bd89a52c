"""The notification outbox: messages to producers, their contacts and officers, written in
the same transaction as the change they report, and sent once each by e-mail, SMS or Zalo
ZNS with retries (outbox, channels). Users also read theirs in the app. docs/MESSAGES.md."""
