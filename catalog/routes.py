from flask import render_template

from catalog import bp
from extensions import db
from producers.models import Producer


@bp.get("/")
def index():
    producers = db.session.scalars(Producer.public().order_by(Producer.legal_name).limit(48)).all()
    return render_template("catalog/index.html", producers=producers)
