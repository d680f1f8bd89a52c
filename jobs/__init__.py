"""Background jobs (Huey): a Job row per piece of work a person asked for, its progress page
and result page, and the worker. See docs/ARCHITECTURE.md for how a domain adds a kind.

Shape: constants -> rules (pure) -> models (Job) -> queue (Huey, kinds, tasks) -> progress ->
services (start_job, enqueue) -> worker (run_job, the Huey task) -> texts -> views/ (pages,
`init_app` builds the queue) -> cli (`flask jobs worker`).
"""
