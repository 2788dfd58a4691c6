"""Pages of statistics: public key figures, referents' figures with charts and CSV, alerts.

Thin, like every area's views: read the query string, ask ``service`` or ``alerts``, render.
Query parameters are French on pages (``territoire``, ``annee``, ``debut``, ``fin``,
``mois``, ``jours``) and English in the API; a bad one shows the page again with its
message (HTTP 422), never an error of the server.
"""

from __future__ import annotations

from typing import Any

from babel.dates import format_date
from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_smorest import Blueprint as ApiBlueprint
from flask_smorest import abort as api_abort
from markupsafe import Markup

from ..auth.models import Account
from ..auth.web import current_account, login_required
from ..errors import Invalid, NotFound
from ..i18n import _, get_locale
from ..interventions import labels as intervention_labels
from ..validation import validated
from ..web.api import endpoint
from ..web.navigation import Group, Link, Panel
from ..web.paging import page_number, page_url
from . import alerts, charts, schemas, service
from .figures import Figures, Period

blueprint = Blueprint(
    "stats",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/stats",
)
api = ApiBlueprint(
    "stats_api",
    __name__,
    url_prefix="/api/v1/stats",
    description="Key figures by territory and period (referents and admins).",
)

# Query parameters of the pages, and the names the schemas give them.
FIGURE_PARAMETERS = {"territoire": "territory", "annee": "year", "debut": "start", "fin": "end"}
ALERT_PARAMETERS = {"mois": "months", "jours": "days"}
YEARS_OFFERED = 6


def menu_links(user: Account | None) -> list[Link]:
    """Key figures for everybody; statistics and alerts for referents and admins."""
    links = [Link(label=_("Key figures"), href=url_for("stats.public_page"), group=Group.NETWORK)]
    if service.may_see_exact(user):
        links.append(
            Link(label=_("Statistics"), href=url_for("stats.statistics_page"), group=Group.STEERING)
        )
        links.append(
            Link(label=_("Alerts"), href=url_for("stats.alerts_page"), group=Group.STEERING)
        )
    return links


@blueprint.context_processor
def _helpers() -> dict[str, Any]:
    return {"day": lambda value: format_date(value, "d MMMM y", locale=get_locale())}


def _asked(parameters: dict[str, str]) -> dict[str, str]:
    return {name: request.args.get(param, "") for param, name in parameters.items()}


def _errors(error: Invalid, parameters: dict[str, str]) -> dict[str, list[str]]:
    """``error``'s messages under the page's own parameter names."""
    names = {name: param for param, name in parameters.items()}
    return {names.get(field, field): messages for field, messages in error.errors.items()}


def _choices(territories) -> dict[str, Any]:
    """The options of the period form: territories and recent school years."""
    current = service.current_school_year()
    return {
        "territory_options": [(territory.code, territory.name) for territory in territories],
        "year_options": [
            (year, f"{year}-{year + 1}") for year in range(current, current - YEARS_OFFERED, -1)
        ],
    }


def _charts(figures: Figures) -> list[charts.Chart]:
    titles = {
        "type": _("Interventions completed by type"),
        "mode": _("Interventions completed by mode"),
        "month": _("Interventions completed by month"),
    }
    return [
        charts.bar_chart(f"chart-{name}", title, figures.series.get(name, ()), service.formatted)
        for name, title in titles.items()
    ]


# Public key figures


@blueprint.get("/chiffres-cles")
def public_page():
    """The key figures of the region, an academy or a department; small counts hidden."""
    asked = _asked(FIGURE_PARAMETERS)
    threshold = service.public_threshold()
    context: dict[str, Any] = {
        "asked": asked,
        "threshold": threshold,
        **_choices(service.public_territories()),
        "errors": {},
    }
    try:
        figures = service.public_figures(asked)
    except Invalid as error:
        context["errors"] = _errors(error, FIGURE_PARAMETERS)
        return render_template("stats/public.html", figures=None, **context), 422
    except NotFound:
        return render_template("stats/public.html", figures=None, **context)
    context["asked"] = {**asked, "territory": figures.territory.code}
    return render_template(
        "stats/public.html",
        figures=figures,
        sections=service.sections(service.shown(figures, threshold)),
        period_label=service.period_label(figures.period),
        **context,
    )


# Referents' and admins' statistics


def _exact(asked: dict[str, str]) -> Figures:
    viewer = current_account()
    if not service.may_see_exact(viewer):
        abort(403)
    code, period = service.read_question(asked)
    return service.exact_figures(viewer, code, period)


@blueprint.get("/statistiques")
@login_required
def statistics_page():
    """Exact figures of the referent's territories, with charts and the CSV export."""
    asked = _asked(FIGURE_PARAMETERS)
    context: dict[str, Any] = {
        "asked": asked,
        **_choices(service.visible_territories(current_account())),
        "errors": {},
    }
    try:
        figures = _exact(asked)
    except Invalid as error:
        context["errors"] = _errors(error, FIGURE_PARAMETERS)
        return render_template("stats/statistics.html", figures=None, **context), 422
    export = {param: value for param, value in request.args.items() if param in FIGURE_PARAMETERS}
    context["asked"] = {**asked, "territory": figures.territory.code}
    return render_template(
        "stats/statistics.html",
        figures=figures,
        sections=service.sections(service.shown(figures)),
        charts=_charts(figures),
        period_label=service.period_label(figures.period),
        export_url=url_for("stats.export_csv", **{**export, "territoire": figures.territory.code}),
        **context,
    )


@blueprint.get("/statistiques/export.csv")
@login_required
def export_csv():
    """The exact figures as CSV, one row per figure (UTF-8 with a byte order mark).

    A period that cannot be read shows the statistics page again, with its errors.
    """
    try:
        figures = _exact(_asked(FIGURE_PARAMETERS))
    except Invalid:
        return statistics_page()
    return Response(
        service.csv_text(figures),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{service.csv_filename(figures)}"'},
    )


# Alerts


@blueprint.get("/alertes")
@login_required
def alerts_page():
    """Priority schools not met, idle ambassadors, unanswered requests of my territories."""
    viewer = current_account()
    alerts.territories_of(viewer)
    asked = _asked(ALERT_PARAMETERS)
    try:
        data = validated(schemas.AlertsQuerySchema, asked)
    except Invalid as error:
        return render_template(
            "stats/alerts.html", asked=asked, errors=_errors(error, ALERT_PARAMETERS)
        ), 422
    settings = service.settings()
    months = data["months"] or settings["idle_months"]
    days = data["days"] or settings["unanswered_days"]
    requests = alerts.unanswered_requests(viewer, days, page_number("page_demandes"))
    return render_template(
        "stats/alerts.html",
        asked=asked,
        errors={},
        months=months,
        days=days,
        schools=alerts.uncovered_schools(viewer, page_number("page_ecoles")),
        ambassadors=alerts.idle_ambassadors(viewer, months, page_number("page_ambassadeurs")),
        requests=requests,
        names=alerts.ambassador_names(requests.items),
        labels=intervention_labels,
        page_url=page_url,
    )


# Dashboard


def dashboard_panels(user: Account | None) -> list[Panel]:
    """For referents and admins: this school year's main figures, a chart and the alerts."""
    if not service.may_see_exact(user):
        return []
    try:
        territory = service.default_territory(user)
    except NotFound:
        return []
    period = Period.school_year(service.current_school_year())
    figures = service.region_figures(territory.code, period)
    settings = service.settings()
    counts = alerts.counts(user, settings["idle_months"], settings["unanswered_days"])
    chart = charts.bar_chart(
        "panel-chart-month",
        _("Interventions completed by month"),
        figures.series.get("month", ()),
        service.formatted,
        width=480,
    )
    main = ("beneficiaries", "interventions.completed", "response_rate", "ambassadors")
    html = render_template(
        "stats/_panel.html",
        figures=figures,
        rows=[row for row in service.shown(figures) if row.key in main],
        chart=chart,
        counts=counts,
        period_label=service.period_label(period),
        territory=territory,
    )
    title = _("Key figures of %(territory)s", territory=territory.name)
    return [Panel(title=title, html=Markup(html))]  # our own template, escaped


# JSON API


@endpoint(api, "GET", "/key-figures", answer=schemas.FiguresOutSchema, refusals=(422, 403))
@api.arguments(schemas.FiguresQuerySchema, location="query")
def key_figures(query):
    """Exact key figures of a ``territory`` (code) over a school ``year`` or ``start``-``end``.

    For referents (their territories) and admins (any); others get 403. Without a
    territory, the widest of the reader's; without a period, the current school year.
    Rates are fractions (``unit`` ``percent``), times in hours; ``series`` feed charts.
    """
    viewer = current_account()
    if not service.may_see_exact(viewer):
        api_abort(403, message=_("Only referents and administrators see these figures."))
    code, period = service.question(query)
    try:
        figures = service.exact_figures(viewer, code, period)
    except Invalid as error:
        api_abort(422, errors={"query": error.errors}, message=error.message)
    return service.as_dict(figures)
