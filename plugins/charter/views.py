"""The charter's pages: read and accept it, the ambassador's file, the referents' queue and log.

Thin: parse the form, call ``service``, render. A form with mistakes is shown again (422)
with a message by each field. An ambassador who must accept the charter in force is taken
to it from any page (``require_current_charter``), as they sign in and until they accept.
"""

from __future__ import annotations

import datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time
from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user
from markupsafe import Markup

from tremplin import clock
from tremplin.auth.models import Account
from tremplin.auth.web import current_account, login_required
from tremplin.i18n import get_locale
from tremplin.people.service import ambassador_of
from tremplin.web.forms import form_page, form_values, submitted
from tremplin.web.navigation import Group, Link, Panel, safe_next
from tremplin.web.paging import page_number

from . import (
    decisions,
    declarations,
    extracts,
    record_checks,
    requirements,
    service,
    texts,
    versions,
)
from .i18n import _, lazy_gettext
from .models import CheckStatus, DecisionKind, Delivery

blueprint = Blueprint("charter", __name__, template_folder="templates")

# Pages an ambassador who must accept the charter still reaches: signing in and out, their
# account (to change it or delete it), the charter itself, the accessibility statement and
# the register of personal data.
OPEN_BLUEPRINTS = frozenset({"auth", "charter", "privacy", "errors"})
OPEN_ENDPOINTS = frozenset({"web.accessibility", "web.healthz", "static"})

DECISION_LABELS = {
    DecisionKind.VERSION_PUBLISHED: lazy_gettext("Charter published"),
    DecisionKind.CHECK_VERIFIED: lazy_gettext("Criminal record verified"),
    DecisionKind.CHECK_REFUSED: lazy_gettext("Criminal record refused"),
    DecisionKind.EXTRACT_DELETED: lazy_gettext("Uploaded extract deleted after its delay"),
}
STATUS_LABELS = {
    CheckStatus.PENDING: lazy_gettext("Waiting for a referent"),
    CheckStatus.VERIFIED: lazy_gettext("Verified"),
    CheckStatus.REFUSED: lazy_gettext("Refused"),
}
DELIVERY_LABELS = {
    Delivery.SENT: lazy_gettext("Sent or shown to the referent"),
    Delivery.UPLOADED: lazy_gettext("Uploaded for viewing"),
}


@blueprint.before_app_request
def require_current_charter():
    """Take an ambassador held for the charter to it, from any page they open.

    Read from Flask-Login directly: this runs before the auth area's own ``g.user``.
    """
    if request.method not in ("GET", "HEAD") or request.path.startswith("/api/"):
        return None
    endpoint = request.endpoint or ""
    if (
        endpoint in OPEN_ENDPOINTS
        or endpoint.endswith(".static")
        or request.blueprint in OPEN_BLUEPRINTS
    ):
        return None
    if not current_user.is_authenticated:
        return None
    if not requirements.must_accept(current_user.account):
        return None
    return redirect(url_for("charter.charter_page", next=request.full_path.rstrip("?")))


@blueprint.app_template_filter("charter_date")
def shown(value: datetime.date | datetime.datetime | str | None) -> str:
    """A date (or a stored UTC moment, in the region's time) as the reader writes it.

    Also takes an ISO date as text, as emails receive their dates.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    locale = get_locale()
    if isinstance(value, datetime.datetime):
        zone = ZoneInfo(current_app.extensions["tremplin"].runtime.region.timezone)
        local = value.replace(tzinfo=datetime.UTC).astimezone(zone)
        day = format_date(local.date(), "long", locale=locale)
        return f"{day}, {format_time(local, 'short', locale=locale)}"
    return format_date(value, "long", locale=locale)


def menu_links(user: Account | None) -> list[Link]:
    """The ambassador's file, or the referents' checks to do."""
    if user is None:
        return [Link(label=_("Charter"), href=url_for("charter.charter_page"), group=Group.NETWORK)]
    links = []
    if ambassador_of(user) is not None:
        links.append(
            Link(
                label=_("My charter and checks"),
                href=url_for("charter.my_file"),
                group=Group.ACCOUNT,
            )
        )
    if record_checks.can_review(user):
        links.append(
            Link(label=_("Checks to do"), href=url_for("charter.queue"), group=Group.STEERING)
        )
    return links


def dashboard_panels(user: Account | None) -> list[Panel]:
    """What an ambassador still has to do; how many checks wait for a referent."""
    if user is None:
        return []
    panels = []
    ambassador = ambassador_of(user)
    if ambassador is not None:
        missing = requirements.holds_for(ambassador)
        html = render_template("charter/_panel_ambassador.html", missing=missing)
        panels.append(Panel(title=_("Before you can be requested"), html=Markup(html)))
    if record_checks.can_review(user):
        waiting = len(record_checks.pending_checks(user))
        html = render_template("charter/_panel_referent.html", waiting=waiting)
        panels.append(Panel(title=_("Checks of the criminal record"), html=Markup(html)))
    return panels


# The charter


@blueprint.get("/charte")
def charter_page():
    """The charter in force (and the next one), with the form to accept it."""
    status = service.status_for(current_account())
    return _charter(status, status.current, next_url=safe_next(request.args.get("next")))


@blueprint.get("/charte/version/<label>")
def version_page(label: str):
    """One version of the charter, for example the next one, to read and accept early."""
    status = service.status_for(current_account())
    return _charter(status, versions.get_version(label))


def _charter(status: service.CharterStatus, version, next_url: str | None = None, code=200):
    return render_template(
        "charter/charter.html",
        status=status,
        version=version,
        html=Markup(texts.to_html(version.text)) if version is not None else None,
        next_url=next_url,
    ), code


@blueprint.post("/charte/accepter")
@login_required
def accept():
    """Accept the version sent by the form; back to where the person was going."""
    version = request.form.get("version", "")
    next_url = safe_next(request.form.get("next"))
    if request.form.get("accepted") != "yes":
        status = service.status_for(current_account())
        flash(_("Tick the box to say that you accept the charter."), "error")
        return _charter(status, versions.get_version(version), next_url=next_url, code=422)
    service.accept(current_account(), version)
    flash(
        _("Thank you: you accepted version %(version)s of the charter.", version=version),
        "success",
    )
    if next_url:
        return redirect(next_url)
    return redirect(url_for(".my_file"))


# The ambassador's file


@blueprint.get("/charte/mon-dossier")
@login_required
def my_file():
    """The ambassador's file: charter, record check, employer's agreement and insurance."""
    return _my_file()


def _my_file(values: dict[str, Any] | None = None, errors: dict[str, list[str]] | None = None):
    account = current_account()
    ambassador = ambassador_of(account)
    if ambassador is None:
        return render_template("charter/not_ambassador.html"), 403
    declaration = declarations.declaration_of(ambassador)
    if values is None and declaration is not None:
        values = {
            "salaried": _yes_no(declaration.salaried),
            "employer_agreement_on": _iso(declaration.employer_agreement_on),
            "insurance_on": _iso(declaration.insurance_on),
        }
    config = requirements.settings()
    return form_page(
        "charter/my_file.html",
        errors,
        status=service.status_for(account),
        holds=requirements.holds_for(ambassador),
        checks=record_checks.checks_of(ambassador),
        pending=record_checks.pending_check_of(ambassador),
        config=config,
        max_mb=config["upload_max_mb"],
        values=values or {},
        status_labels=STATUS_LABELS,
        delivery_labels=DELIVERY_LABELS,
        today=clock.today(),
    )


@blueprint.post("/charte/mon-dossier/extrait")
@login_required
def declare_extract():
    """The ambassador sent or showed their extract, or uploads it for viewing."""
    upload = None
    if request.form.get("action") == "upload":
        file = request.files.get(extracts.FIELD)
        limit = extracts.max_bytes(requirements.settings()["upload_max_mb"])
        # Never read more than the limit (and one byte to know it is exceeded).
        upload = file.stream.read(limit + 1) if file is not None and file.filename else b""
    _declared, errors = submitted(lambda: record_checks.declare_extract(current_account(), upload))
    if errors:
        return _my_file(errors=errors)
    if upload:
        flash(
            _(
                "Your extract is uploaded. A referent of your territory will look at it; it "
                "is deleted as soon as they decide."
            ),
            "success",
        )
    else:
        flash(_("Noted: a referent of your territory will check your extract."), "success")
    return redirect(url_for(".my_file"))


@blueprint.post("/charte/mon-dossier/declarations")
@login_required
def declare():
    """The ambassador's declarations: employer's agreement and insurance."""
    values = form_values(request.form)
    _declaration, errors = submitted(lambda: declarations.declare(current_account(), values))
    if errors:
        return _my_file(values, errors)
    flash(_("Your declarations are saved."), "success")
    return redirect(url_for(".my_file"))


# Referents


@blueprint.get("/charte/verifications")
@login_required
def queue():
    """Checks waiting for a decision in the referent's territories, the oldest first."""
    return render_template(
        "charter/queue.html",
        pending=record_checks.pending_checks(current_account()),
        delivery_labels=DELIVERY_LABELS,
    )


@blueprint.get("/charte/verifications/<int(max=2147483647):check_id>")
@login_required
def check(check_id: int):
    """A check: who, how the extract came, the file if uploaded, and the decision form."""
    return _check(check_id)


def _check(check_id: int, values=None, errors=None):
    view = record_checks.check_for(current_account(), check_id)
    config = requirements.settings()
    return form_page(
        "charter/check.html",
        errors,
        view=view,
        values=values or {},
        max_age=config["extract_max_age_days"],
        valid_days=config["check_valid_days"],
        status_labels=STATUS_LABELS,
        delivery_labels=DELIVERY_LABELS,
    )


@blueprint.post("/charte/verifications/<int(max=2147483647):check_id>")
@login_required
def decide(check_id: int):
    """Record the outcome of a check; the uploaded file, if any, is deleted."""
    values = form_values(request.form)
    decided, errors = submitted(lambda: record_checks.decide(current_account(), check_id, values))
    if errors:
        return _check(check_id, values, errors)
    if decided.status == CheckStatus.VERIFIED:
        flash(
            _(
                "The check is recorded as verified, valid until %(date)s.",
                date=shown(decided.valid_until),
            ),
            "success",
        )
    else:
        flash(_("The check is recorded as refused. The ambassador stays hidden."), "success")
    return redirect(url_for(".queue"))


@blueprint.get("/charte/verifications/<int(max=2147483647):check_id>/extrait")
@login_required
def extract(check_id: int):
    """The uploaded extract, decrypted for the referent's eyes only: never cached."""
    data, content_type = record_checks.extract_of(current_account(), check_id)
    response = Response(data, mimetype=content_type)
    response.headers["Content-Disposition"] = "inline"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@blueprint.get("/charte/journal")
@login_required
def journal():
    """The log of decisions: publications of the charter, checks verified or refused."""
    page = page_number()
    lines, total = decisions.decisions(current_account(), page=page)
    return render_template(
        "charter/journal.html",
        lines=lines,
        total=total,
        page=page,
        page_size=50,
        labels=DECISION_LABELS,
    )


def _yes_no(value: bool | None) -> str | None:
    return None if value is None else ("yes" if value else "no")


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None
