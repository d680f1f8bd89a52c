"""Producers: the businesses that sell on Chợ Quê (cooperatives, cooperative groups, household
businesses, enterprises), their onboarding wizard, documents, OCOP certificates, bank details,
claim codes and the audit log.

Terms: `constants.ProducerKind`, `constants.ProducerStatus`, `constants.DocumentKind`.
Layers: constants → rules (pure) → models → services (never commit) → views (the blueprint,
loaded only by create_app) → cli.
"""
