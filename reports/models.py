from core.clock import utcnow
from extensions import db


class FigureSnapshot(db.Model):
    """One stock figure of one commune on one day, so that a report can say how it moved.
    Written by `flask reports snapshot` (daily); one row per (day, commune, name)."""

    __tablename__ = "figure_snapshots"
    __table_args__ = (db.UniqueConstraint("day", "commune_code", "name", name="uq_figure_snapshot"),
                      db.Index("ix_figure_snapshots_province_day", "province_code", "day"))

    id = db.Column(db.Integer, primary_key=True)
    day = db.Column(db.Date, nullable=False, index=True)
    province_code = db.Column(db.Integer)
    commune_code = db.Column(db.Integer)
    name = db.Column(db.String(40), nullable=False)
    value = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
