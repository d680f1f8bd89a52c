"""What people read about jobs' failures and kinds, in their language."""
from __future__ import annotations

from flask_babel import gettext

from jobs.queue import KINDS


def N_(message: str) -> str:
    return message


ERROR_MESSAGES = {
    "unexpected": N_("Something went wrong while doing this. Everything saved before it stopped is kept: "
                     "you can start it again, and what is already done is not done twice."),
    "queue_unavailable": N_("The site could not start this job just now. Nothing was changed: please try "
                            "again in a few minutes."),
    "unknown_kind": N_("This job cannot be done by this version of the site. Nothing was changed."),
}


def kind_title(job) -> str:
    kind = KINDS.get(job.kind)
    return str(kind.title) if kind else job.kind


def error_message(job) -> str:
    params = dict(job.error_params or {})
    kind = KINDS.get(job.kind)
    if kind is not None and kind.explain is not None:
        worded = kind.explain(job.error_code, params)
        if worded:
            return worded
    return gettext(ERROR_MESSAGES.get(job.error_code or "", ERROR_MESSAGES["unexpected"]), **params)
