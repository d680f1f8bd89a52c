"""My jobs: the list, one job's progress page (its result page once done) and a small JSON
status for the page's script. A job is seen only by its owner: anyone else gets 404."""
from __future__ import annotations

from flask import g, jsonify, render_template, url_for

from accounts.auth import login_required
from extensions import db
from jobs import bp, init_app  # noqa: F401  (the factory loads views: init_app builds the queue)
from jobs.queue import KINDS
from jobs.rules import percent
from jobs.services import my_job_query, my_jobs_query
from jobs.terms import PAGE_REFRESH_SECONDS, RECENT_JOBS_SHOWN, JobStatus
from jobs.texts import STATUS_LABELS, error_message, kind_title


@bp.get("/cong-viec")
@login_required
def my_jobs():
    jobs = db.session.scalars(my_jobs_query(g.user.id).limit(RECENT_JOBS_SHOWN)).all()
    return render_template("jobs/list.html", jobs=jobs, status_labels=STATUS_LABELS, kind_title=kind_title,
                           percent=percent)


@bp.get("/cong-viec/<int:job_id>")
@login_required
def job_page(job_id):
    job = db.first_or_404(my_job_query(g.user.id, job_id))
    kind = KINDS.get(job.kind)
    if job.status == JobStatus.DONE and kind is not None:
        return kind.render(job)
    if job.status == JobStatus.FAILED:
        return render_template("jobs/failed.html", job=job, title=kind_title(job), message=error_message(job),
                               again_url=url_for(kind.start_endpoint) if kind else None)
    response = render_template("jobs/progress.html", job=job, title=kind_title(job),
                               status_label=STATUS_LABELS[job.status], percent=percent(job.done, job.total),
                               refresh_seconds=PAGE_REFRESH_SECONDS)
    return response, 200, {"Cache-Control": "no-store"}


@bp.get("/cong-viec/<int:job_id>/tien-do.json")
@login_required
def job_status(job_id):
    job = db.first_or_404(my_job_query(g.user.id, job_id))
    response = jsonify(status=job.status, status_label=str(STATUS_LABELS[job.status]), done=job.done,
                       total=job.total, percent=percent(job.done, job.total), finished=job.finished)
    response.headers["Cache-Control"] = "no-store"
    return response
