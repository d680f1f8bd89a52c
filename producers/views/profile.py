"""The profile form (wizard step 2), shared by the producer's own wizard and a helper who starts
a profile for a farmer (views.behalf)."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm.exc import StaleDataError

from core import conflicts
from extensions import db
from producers import rules, services
from producers.views.common import load_producer, step_url
from producers.views.forms import ProfileForm

def profile_step(producer, on_behalf=False, check_version=True):
    """Shared by the producer's own wizard and a helper starting a profile for a farmer."""
    allowed = g.user.commune_codes if g.user.works_for_communes else None
    if request.method == "GET":
        initial = ProfileForm.initial(producer, default_phone=None if on_behalf else g.user.phone)
        form = ProfileForm(data=initial, allowed_communes=allowed)
        return render_profile(form, producer, on_behalf)
    form = ProfileForm(allowed_communes=allowed)
    if request.form.get("action") in ("choose_province", "find_commune"):
        # The place choice without JavaScript: nothing is saved, every typed field is kept.
        codes = [code for code, _label in form.commune.choices[1:]]
        if form.commune.data not in codes:
            form.commune.data = codes[0] if len(codes) == 1 else None
        return render_profile(form, producer, on_behalf, focus_commune=True)
    if not form.validate_on_submit():
        return render_profile(form, producer, on_behalf), 400
    profile = form.profile()
    if producer is not None and check_version and conflicts.is_stale(producer.edit_version, form.edit_version.data):
        rows = profile_conflicts(producer, form, allowed)
        if rows:
            return render_profile_conflict(producer, form, on_behalf, rows)
    if producer is None:
        # A helper's double tap on a slow connection updates the draft made moments ago.
        producer = services.recent_duplicate(g.user, profile) if on_behalf else None
    if producer is None:
        producer = services.create_producer(profile, g.user, owner=None if on_behalf else g.user)
    else:
        services.update_profile(producer, profile, g.user)
    try:
        db.session.commit()
    except StaleDataError:
        # Another save won the race between the version check and this write.
        db.session.rollback()
        producer = load_producer(producer.id)
        return render_profile_conflict(producer, form, on_behalf, profile_conflicts(producer, form, allowed))
    flash(_("Saved. Next: your documents and OCOP certificates."), "success")
    return redirect(step_url(producer, rules.DOCUMENTS))


PROFILE_CONFLICT_FIELDS = ("kind", "legal_name", "tax_code", "representative", "province", "commune", "address",
                           "phone", "zalo")


def profile_conflicts(producer, form, allowed):
    theirs = ProfileForm(formdata=None, data=ProfileForm.initial(producer), allowed_communes=allowed)
    return conflicts.differences(theirs, form, PROFILE_CONFLICT_FIELDS)


def render_profile_conflict(producer, form, on_behalf, rows):
    """409: the user's entries stay in the form, which now carries the current version."""
    form.edit_version.data = producer.edit_version
    return render_template("producers/step_profile.html", form=form, producer=producer, on_behalf=on_behalf,
                           action=url_for("producers.step_profile", producer_id=producer.id), focus_commune=False,
                           js_filter=not g.user.works_for_communes, conflict_rows=rows,
                           conflict_title=conflicts.CONFLICT_TITLE, conflict_message=conflicts.CONFLICT_MESSAGE), 409


def render_profile(form, producer, on_behalf, focus_commune=False):
    if producer is not None:
        action = url_for("producers.step_profile", producer_id=producer.id)
    elif on_behalf:
        action = url_for("producers.start_on_behalf")
    else:
        action = url_for("producers.wizard_start")
    return render_template("producers/step_profile.html", form=form, producer=producer, action=action,
                           on_behalf=on_behalf, focus_commune=focus_commune,
                           js_filter=not g.user.works_for_communes)
