from flask import g, redirect, render_template, url_for

from accounts.auth import login_required, roles_required
from accounts.models import Role
from extensions import db
from producers import bp
from producers.models import Producer


@bp.get("/nha-san-xuat")
@login_required
def dashboard():
    producers = db.session.scalars(db.select(Producer).filter_by(owner_id=g.user.id)).all()
    return render_template("producers/dashboard.html", producers=producers)


@bp.get("/nha-san-xuat/ho-so")
@login_required
def wizard_start():
    return redirect(url_for("producers.dashboard"))


@bp.get("/can-bo")
@roles_required(Role.OFFICER, Role.HELPER, Role.ADMIN)
def officer_queue():
    return render_template("producers/queue.html", producers=[])

