"""The dashboard's "Remind" buttons (one form round the list, one CSRF token): one click writes a message to the producer whose OCOP
certificate is due for re-evaluation (verification.reminders; once a day per certificate)."""
from __future__ import annotations

from datetime import date

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext as _

from accounts.auth import roles_required
from core.forms import EmptyForm
from core.i18n import format_moment
from core.urls import safe_next_url
from extensions import db
from verification import reminders
from reports.views import VIEWERS, bp


@bp.post("/nhac")
@roles_required(*VIEWERS)
def remind():
    from producers.models import Certificate, Producer
    from verification.services import commune_scope

    back = safe_next_url(request.form.get("next"), url_for("reports.dashboard")).split("#")[0] + "#expiring"
    if not EmptyForm().validate_on_submit():
        flash(_("The page was open too long. Please press Remind again."), "error")
        return redirect(back)
    certificate_id = request.form.get("chung-nhan", type=int)
    certificate = db.first_or_404(db.select(Certificate).join(Producer, Producer.id == Certificate.producer_id)
                                  .where(Certificate.id == certificate_id, commune_scope(g.user)))
    notice, written = reminders.remind_now(certificate, date.today())
    name = certificate.producer.legal_name
    if notice is None:
        flash(_("%(name)s has no phone number or e-mail address to remind.", name=name), "error")
    elif written:
        db.session.commit()
        flash(_("Reminder sent to %(name)s.", name=name), "success")
    else:
        flash(_("%(name)s was already reminded today at %(moment)s; nothing was sent again.", name=name,
                moment=format_moment(notice.created_at)), "info")
    return redirect(back)
