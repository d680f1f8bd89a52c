"""The search form: GET parameters of /tim-kiem and /api/search, validated.

A plain WTForms form (no CSRF: searching changes nothing). The text itself is
never rejected, only trimmed: control characters go, 200 characters at most
(``search.plan.clean_query``). Filters must be real values or the request is
a 400.
"""
from flask_babel import lazy_gettext as _l
from wtforms import Form, IntegerField, StringField
from wtforms.validators import AnyOf, NumberRange, Optional, ValidationError

from places.units import provinces
from search.facets import GROUP_CODES, GROUP_SLUGS, STAR_VALUES, Filters
from search.plan import MAX_QUERY_CHARS, clean_query

MAX_PAGE = 100
MAX_PER_PAGE = 48
# Large enough for any phone keyboard, small enough that a paste costs nothing.
MAX_RAW_CHARS = 10 * MAX_QUERY_CHARS

NOT_A_NUMBER = _l("Please use a whole number.")


def _clean(value):
    return clean_query(value[:MAX_RAW_CHARS]) if isinstance(value, str) else ""


class LenientInteger(IntegerField):
    """An optional whole number with our own (translated) message."""

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist and valuelist[0].strip():
            text = valuelist[0].strip()
            if not text.isdigit() or len(text) > 9:
                self.data = None
                raise ValueError(str(NOT_A_NUMBER))
            self.data = int(text)


class SearchForm(Form):
    q = StringField(_l("Search products"), filters=[_clean])
    group = StringField(_l("Product group"), filters=[lambda v: (v or "").strip() or None])
    province = LenientInteger(_l("Province"), validators=[Optional()])
    stars = LenientInteger(_l("OCOP stars"), validators=[
        Optional(), AnyOf(STAR_VALUES, message=_l("Star ratings are 3, 4 or 5."))])
    page = LenientInteger(_l("Page"), validators=[
        Optional(), NumberRange(1, MAX_PAGE, message=_l("The page number must be from 1 to %(max)s."))])
    per_page = LenientInteger(_l("Results per page"), validators=[
        Optional(), NumberRange(1, MAX_PER_PAGE, message=_l("Results per page must be from 1 to %(max)s."))])

    def validate_group(self, field):
        if field.data is not None and self.group_slug is None:
            raise ValidationError(_l("There is no product group with this name."))

    @property
    def group_slug(self):
        """The group as a slug; the URL may carry the catalogue's OCOP code (I…VI) or the slug."""
        value = self.group.data
        if value is None:
            return None
        return GROUP_SLUGS.get(value.upper()) or (value if value in GROUP_CODES else None)

    def validate_province(self, field):
        if field.data is not None and field.data not in {p.code for p in provinces()}:
            raise ValidationError(_l("There is no province with this code."))

    @property
    def filters(self) -> Filters:
        return Filters(group=self.group_slug, province=self.province.data, stars=self.stars.data)

    def first_error(self):
        """(parameter, message) of the first invalid parameter."""
        for name, messages in self.errors.items():
            return name, str(messages[0])
        return None, ""

    def args(self, **changes) -> dict:
        """Query-string arguments that reproduce this search (for links)."""
        group = GROUP_CODES.get(self.group_slug) if self.group_slug else None
        values = {"q": self.q.data or None, "group": group, "province": self.province.data,
                  "stars": self.stars.data, "page": self.page.data}
        values.update(changes)
        if values.get("page") == 1:
            values["page"] = None
        return {key: value for key, value in values.items() if value not in (None, "")}
