"""A self-contained HTML report: one file, no network, readable without JavaScript."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from ..model import Report

_ENV = Environment(
    loader=PackageLoader("newsfuse", "publish/templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def render_html(report: Report) -> str:
    """Every piece of article text goes through autoescaping: pages may carry markup."""
    return _ENV.get_template("report.html.j2").render(report=report)
