"""Claim letters from the officer's queue: a PDF with one page per unclaimed producer of the
officer's communes (or one of them), each with a fresh claim code. POST, because printing
issues new codes and the earlier ones stop working."""
from flask import Response, abort, current_app, g, request
from flask_babel import gettext as _

from accounts.auth import roles_required
from accounts.constants import Role
from core.forms import EmptyForm
from core.web import error_response
from extensions import db
from producers.claim_letters import issue_claim_letters, unclaimed_producers
from producers.letters import claim_letters_pdf
from verification.views import bp

LETTER_ROLES = (Role.OFFICER, Role.HELPER, Role.ADMIN)


@bp.post("/thu-nhan-ho-so.pdf")
@roles_required(*LETTER_ROLES)
def claim_letters():
    if not EmptyForm().validate_on_submit():
        abort(400)
    communes = None if g.user.role == Role.ADMIN else list(g.user.commune_codes)
    wanted = request.form.get("commune", type=int)
    if wanted is not None:
        if communes is not None and wanted not in communes:
            abort(404)
        communes = [wanted]
    producers = unclaimed_producers(communes)
    if not producers:
        return error_response(404, _("No claim letters"),
                              _("Every producer of these communes has already claimed its profile."))
    letters = issue_claim_letters(producers, g.user, current_app.config["PUBLIC_BASE_URL"])
    pdf = claim_letters_pdf(letters)
    db.session.commit()
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": 'attachment; filename="thu-nhan-ho-so.pdf"', "Cache-Control": "no-store"})
