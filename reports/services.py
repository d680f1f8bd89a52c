"""Which area a person may report on (permission lives here, in the query's filter)."""
from __future__ import annotations

from flask import abort

from accounts.models import Role
from places import units
from reports.figures import Area
from reports.constants import AreaKind


def commune_label(code) -> str:
    commune = units.commune(code)
    if commune is None:
        return str(code)
    province = units.province(commune.province_code)
    return f"{commune.name}, {province.short_name}" if province else commune.name


def area_for(user, province_text=None) -> Area:
    """An officer reports on their own communes; an admin on a province or the whole country."""
    if user.role == Role.OFFICER:
        codes = tuple(sorted(user.commune_codes))
        if not codes:
            abort(403)
        return Area(AreaKind.COMMUNES, codes, "; ".join(commune_label(code) for code in codes))
    if user.role == Role.ADMIN:
        if province_text:
            province = units.province(int(province_text)) if str(province_text).isdigit() else None
            if province is None:
                abort(404)
            return Area(AreaKind.PROVINCE, (province.code,), province.name)
        return Area(AreaKind.COUNTRY, (), "")
    abort(403)
