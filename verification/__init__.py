"""Commune verification: a commune officer checks a producer's dossier and decides (approve,
request changes, reject, suspend, reinstate), approves changed payment details (never their own),
prints claim letters, and reads the dossier's history in plain words.

Terms: `constants.Decision`, the queue's tabs; the producers' statuses are `producers.constants`.
Layers: constants → rules (pure) → history (wording) → services (never commit) → views (the
blueprint under /can-bo, loaded only by create_app).
"""
