"""Acting on a farmer's behalf: a commune helper or officer starts a profile, prints a
one-time claim code, and the farmer later claims the profile with it."""
from flask import abort, flash, g, redirect, render_template, request
from flask_babel import gettext as _

from accounts.auth import roles_required
from accounts.models import Role
from core.forms import EmptyForm
from extensions import db, limiter
from places.units import commune
from producers import bp, claims, services
from producers.forms import ClaimForm
from producers.routes import load_producer, profile_step, resume_url

ON_BEHALF_ROLES = (Role.HELPER, Role.OFFICER)


@bp.get("/nha-san-xuat/ho-tro")
@roles_required(*ON_BEHALF_ROLES)
def helper_home():
    """The producers of the helper's communes, those still waiting for their farmer first."""
    return render_template("producers/helper_home.html", producers=services.commune_producers(g.user),
                           communes=[commune(code) for code in g.user.commune_codes])


@bp.route("/nha-san-xuat/tao-ho", methods=["GET", "POST"])
@roles_required(*ON_BEHALF_ROLES)
def start_on_behalf():
    if not g.user.commune_codes:
        abort(403)
    return profile_step(None, on_behalf=True)


@bp.route("/nha-san-xuat/ho-so/<int:producer_id>/ma-nhan", methods=["GET", "POST"])
@roles_required(*ON_BEHALF_ROLES)
def claim_code(producer_id):
    """GET explains; POST makes a new code and shows it this once, to print or copy on paper."""
    producer = load_producer(producer_id)
    form = EmptyForm()
    code = None
    if request.method == "POST" and producer.owner_id is None:
        if not form.validate_on_submit():
            abort(400)
        code = services.issue_claim_code(producer, g.user)
        db.session.commit()
    response = render_template("producers/claim_code.html", producer=producer, form=form,
                               code=claims.display(code) if code else None,
                               commune=commune(producer.commune_code))
    return response, 200, {"Cache-Control": "no-store"}


@bp.route("/nha-san-xuat/nhan-ho-so", methods=["GET", "POST"])
@limiter.limit("10 per 15 minutes", methods=["POST"])
@roles_required(Role.PRODUCER)
def claim():
    """The code may come in the URL (?ma=…, the QR code of a claim letter): the form is then
    filled in and the farmer only presses the button."""
    form = ClaimForm()
    if request.method == "GET" and request.args.get("ma"):
        form.code.data = request.args.get("ma", "")[:30]
    if form.validate_on_submit():
        producer = services.claim(g.user, form.code.data)
        if producer is not None:
            db.session.commit()
            flash(_("The profile of %(name)s is now yours. Please check it and continue.",
                    name=producer.legal_name), "success")
            return redirect(resume_url(producer))
        form.code.errors.append(_("This code is not valid or has already been used. Please check it, or ask "
                                  "your helper for a new code."))
    status = 400 if request.method == "POST" else 200
    return render_template("producers/claim.html", form=form), status
