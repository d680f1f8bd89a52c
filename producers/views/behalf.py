"""Acting on a farmer's behalf: a commune helper or officer starts a profile, prints a
one-time claim code, and the farmer later claims the profile with it."""
from flask import abort, flash, g, redirect, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from accounts.auth import roles_required
from accounts.constants import Role
from accounts.phones import display_phone, normalise_mobile
from notifications.rules import last_digits
from extensions import db, limiter
from places.units import commune
from producers import claims, claims_share, services
from producers.views import bp
from producers.views.common import load_producer, resume_url
from producers.views.forms import ClaimCodeForm, ClaimForm
from producers.views.profile import profile_step

ON_BEHALF_ROLES = (Role.HELPER, Role.OFFICER)


@bp.get("/ho-tro")
@roles_required(*ON_BEHALF_ROLES)
def helper_home():
    """The producers of the helper's communes, those still waiting for their farmer first."""
    return render_template("producers/helper_home.html", producers=services.commune_producers(g.user),
                           communes=[commune(code) for code in g.user.commune_codes])


@bp.route("/tao-ho", methods=["GET", "POST"])
@roles_required(*ON_BEHALF_ROLES)
def start_on_behalf():
    if not g.user.commune_codes:
        abort(403)
    return profile_step(None, on_behalf=True)


@bp.route("/ho-so/<int:producer_id>/ma-nhan", methods=["GET", "POST"])
@roles_required(*ON_BEHALF_ROLES)
def claim_code(producer_id):
    """GET explains; POST makes a new code for the farmer's mobile number and shows it this once,
    with ways to send it (SMS, Zalo, a short link); the message also goes to the outbox."""
    producer = load_producer(producer_id)
    form = ClaimCodeForm()
    if request.method == "GET" and producer.owner_id is None:
        form.farmer_phone.data = display_phone(producer.claim_phone or _mobile_or_none(producer.phone))
    share = None
    status = 200
    if request.method == "POST" and producer.owner_id is None:
        if form.validate_on_submit():
            code = services.issue_claim_code(producer, g.user, form.farmer_phone.data)
            db.session.commit()
            share = claims_share.share_links(producer.claim_phone, claims.display(code),
                                             services.claim_link(code), services.claim_message(producer, code))
        else:
            status = 400
    response = render_template("producers/claim_code.html", producer=producer, form=form, share=share,
                               commune=commune(producer.commune_code))
    return response, status, {"Cache-Control": "no-store"}


def _mobile_or_none(phone):
    return phone if phone and normalise_mobile(phone) else None


CLAIM_REFUSALS = {
    None: _l("This code is not valid or has already been used. Please check it, or ask your helper for a "
             "new code."),
    claims.ClaimRefusal.EXPIRED: _l("This code has expired. Please ask your commune helper for a new code."),
    claims.ClaimRefusal.OTHER_PHONE: _l("This code was made for the mobile number ending in %(last)s. Please "
                                        "log in with that number, or ask your helper for a new code for "
                                        "this number."),
}


@bp.route("/nhan-ho-so", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
@roles_required(Role.PRODUCER)
def claim():
    """The code may come in the URL (?ma=…, the QR code of a claim letter): the form is then
    filled in and the farmer only presses the button."""
    form = ClaimForm()
    if request.method == "GET" and request.args.get("ma"):
        form.code.data = request.args.get("ma", "")[:30]
    if form.validate_on_submit():
        outcome = services.claim(g.user, form.code.data)
        if outcome.claimed:
            producer = outcome.producer
            db.session.commit()
            flash(_("The profile of %(name)s is now yours. Please check it and continue.",
                    name=producer.legal_name), "success")
            return redirect(resume_url(producer))
        bound = outcome.producer.claim_phone if outcome.producer else None
        form.code.errors.append(str(CLAIM_REFUSALS[outcome.refusal]) % {"last": last_digits(bound)})
    status = 400 if request.method == "POST" else 200
    return render_template("producers/claim.html", form=form), status
