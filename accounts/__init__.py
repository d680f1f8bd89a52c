"""Accounts: the people who log in (producers, commune officers and helpers, administrators),
their roles, passwords, sessions and the communes officers and helpers work for.

Terms: `constants.Role`. Layers: constants → rules (pure) → models → services (never commit) →
`auth` (the session and the login_required/roles_required decorators other views use) → views
(the blueprint, loaded only by create_app) → cli.
"""
