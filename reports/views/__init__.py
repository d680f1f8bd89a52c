"""Dashboard pages: /bao-cao (officers: their communes; admins: a province or the country)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, g, render_template, request
from flask_babel import gettext as _

from accounts.auth import roles_required
from accounts.models import Role
from core.i18n import format_day
from places import units
from reports import figures as report_figures
from reports.documents import pdf_bytes, xlsx_bytes
from reports.rules import parse_period, recent_periods
from reports.services import area_for
from reports.constants import PERIOD_KIND_LABELS, AreaKind, PeriodKind
from reports.views.sections import area_label, build, charts, period_label
from verification.reminders import last_reminders
from vntext import slugify

bp = Blueprint("reports", __name__, url_prefix="/bao-cao")
VIEWERS = (Role.OFFICER, Role.ADMIN)


def _report():
    today = date.today()
    period = parse_period(request.args.get("ky"), request.args.get("thoi-gian"), today)
    area = area_for(g.user, request.args.get("tinh") if g.user.role == Role.ADMIN else None)
    figures = report_figures.cached(area, period, today)
    return figures, build(figures)


def _title(figures):
    return _("OCOP report — %(area)s — %(period)s", area=area_label(figures.area), period=period_label(figures.period))


@bp.get("/")
@roles_required(*VIEWERS)
def dashboard():
    figures, sections = _report()
    today = date.today()
    choices = {kind: [(p.key, period_label(p)) for p in recent_periods(kind, today)] for kind in PeriodKind}
    provinces = units.provinces() if g.user.role == Role.ADMIN else ()
    return render_template("reports/dashboard.html", figures=figures, sections=sections, charts=charts(sections),
                           title=_title(figures), period_choices=choices, kind_labels=PERIOD_KIND_LABELS,
                           provinces=provinces, area_kind=AreaKind, query=request.args,
                           reminded=last_reminders([item.certificate_id for item in figures.expiring]))


def _download(data: bytes, figures, extension: str, mimetype: str) -> Response:
    name = f"bao-cao-ocop-{slugify(area_label(figures.area))[:40] or 'ca-nuoc'}-{figures.period.key}.{extension}"
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/bao-cao.xlsx")
@roles_required(*VIEWERS)
def report_xlsx():
    figures, sections = _report()
    subtitle = _("Made on %(day)s by Chợ Quê", day=format_day(date.today()))
    return _download(xlsx_bytes(_title(figures), subtitle, sections), figures, "xlsx",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.get("/bao-cao.pdf")
@roles_required(*VIEWERS)
def report_pdf():
    figures, sections = _report()
    subtitle = _("Made on %(day)s by Chợ Quê", day=format_day(date.today()))
    return _download(pdf_bytes(_title(figures), subtitle, sections), figures, "pdf", "application/pdf")


from reports.views import reminders  # noqa: E402,F401  (the "Remind" button's route)
