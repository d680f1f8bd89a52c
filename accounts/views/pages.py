"""The pages of accounts: log in, log out, register (wizard step 1)."""
from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from accounts import services
from accounts.auth import load_logged_in_user, log_in, log_out
from accounts.signals import logged_in
from accounts.constants import Role
from accounts.rules import throttle_keys
from accounts.views import bp
from accounts.views.forms import LoginForm, RegisterForm
from core.urls import safe_next_url
from extensions import db, limiter

bp.before_app_request(load_logged_in_user)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


@bp.route("/dang-nhap", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login():
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if form.validate_on_submit():
        keys = throttle_keys(form.phone.data, request.remote_addr)
        wait = services.blocked_for(keys)
        if wait:
            db.session.commit()
            message = _("Too many wrong attempts. Please wait %(seconds)s seconds and try again.", seconds=wait)
            return render_template("accounts/login.html", form=form, wait_message=message), 429
        user = services.authenticate(form.phone.data, form.password.data, request.remote_addr)
        if user is not None:
            log_in(user)
            logged_in.send(current_app._get_current_object(), user=user)
        db.session.commit()
        if user is not None:
            return redirect(safe_next_url(form.next.data, default=_home_for(user)))
        form.password.errors.append(_("The mobile number or password is wrong."))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/login.html", form=form), status


def _home_for(user):
    if user.role == Role.PRODUCER:
        return url_for("producers.dashboard")
    if user.role == Role.HELPER:
        return url_for("producers.helper_home")
    if user.role in (Role.OFFICER, Role.ADMIN):
        return url_for("verification.officer_queue")
    return url_for("catalog.index")


@bp.post("/dang-xuat")
def logout():
    log_out()
    db.session.commit()
    flash(_("You have logged out."), "info")
    return redirect(url_for("catalog.index"))


@bp.route("/dang-ky", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["REGISTER_RATE_LIMIT"], methods=["POST"])
def register():
    """Step 1 of the producer wizard: the account."""
    if g.get("user") is not None:
        return redirect(_home_for(g.user))
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.phone.data, form.password.data, form.name.data)
        except services.PhoneTaken:
            form.phone.errors.append(_("This number already has an account. Please log in instead."))
        else:
            db.session.commit()
            log_in(user)
            # A farmer who came by a claim link goes back to it; anyone else starts the wizard.
            claim_next = safe_next_url(request.args.get("next"), default="")
            if claim_next.startswith(url_for("producers.claim")):
                flash(_("Your account is ready. Now claim the profile your helper made."), "success")
                return redirect(claim_next)
            flash(_("Your account is ready. Next, tell us about your business."), "success")
            return redirect(url_for("producers.wizard_start"))
    status = 400 if request.method == "POST" else 200
    return render_template("accounts/register.html", form=form), status
