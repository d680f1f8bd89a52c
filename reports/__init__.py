"""The commune's view: the figures officers report to the district and province."""
from reports import models  # noqa: F401  (the snapshot table)
from reports.views import bp  # noqa: F401
from reports.cli import reports_cli as cli_group  # noqa: F401
