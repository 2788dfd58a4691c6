"""Account pages: sign in and out, links received by email, the person's own account.

Thin: each page parses its form with a schema, calls the service and renders. A form
with mistakes is shown again (422) with a message by each field and what was typed,
passwords excepted.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from marshmallow import Schema

from .. import i18n, runtime
from ..clock import today
from ..errors import Invalid
from ..i18n import _
from ..validation import validated
from ..web.forms import form_page
from ..web.locale import SESSION_KEY as LOCALE_SESSION_KEY
from ..web.navigation import safe_next
from . import access_tokens, personal_data, schemas, service, tokens
from .models import AccessScope, Gender, Role
from .web import current_account, login_required, sign_in, sign_out, sign_out_everywhere

blueprint = Blueprint("auth", __name__, template_folder="templates")

PASSWORD_FIELDS = frozenset({"password", "password_confirmation", "current_password"})
GENDER_LABELS = {
    Gender.FEMALE: lambda: _("Woman"),
    Gender.MALE: lambda: _("Man"),
    Gender.OTHER: lambda: _("Other"),
}

SCOPE_LABELS = {
    AccessScope.READ: lambda: _("Read only"),
    AccessScope.READ_WRITE: lambda: _("Read and write"),
}
# A new token's last day, unless the person chooses another.
DEFAULT_TOKEN_DAYS = 90

ROLE_LABELS = {
    Role.AMBASSADOR: lambda: _("Ambassador"),
    Role.EDUCATOR: lambda: _("Educational team"),
    Role.REFERENT: lambda: _("Territorial referent"),
    Role.ADMIN: lambda: _("Regional administrator"),
    Role.PARTNER_MANAGER: lambda: _("Partner manager"),
}


# Signing in and out


@blueprint.route("/connexion", methods=["GET", "POST"])
def login():
    """The sign-in form; rate-limited per address and email (see ``ratelimits``)."""
    if request.method == "GET":
        return _form("auth/login.html", next=safe_next(request.args.get("next")))
    next_url = safe_next(request.form.get("next"))
    try:
        data = _load(schemas.SignInSchema(), request.form)
    except Invalid as error:
        return _form("auth/login.html", error.errors, next=next_url)
    account = service.authenticate(data["email"], data["password"])
    if account is None:
        message = _("This email and password do not match an active account.")
        return _form("auth/login.html", {"_": [message]}, next=next_url)
    sign_in(account)
    _follow_account_language(account.locale)
    return redirect(next_url or _home())


@blueprint.post("/deconnexion")
def logout():
    """End the session (a POST, so that no link or image can sign anybody out)."""
    sign_out()
    flash(_("You are signed out."), "info")
    return redirect(url_for("web.home"))


# Links received by email


@blueprint.route("/activation/<token>", methods=["GET", "POST"])
def activate(token: str):
    """Choose a password with the activation link (valid 12 hours, once)."""
    return _new_password_page(
        token,
        tokens.Purpose.ACTIVATION,
        service.activate,
        title=_("Activate your account"),
        done=_("Your account is active. Welcome!"),
    )


@blueprint.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a reset link (valid 5 minutes, once)."""
    return _new_password_page(
        token,
        tokens.Purpose.PASSWORD_RESET,
        service.reset_password,
        title=_("Choose a new password"),
        done=_("Your password is changed. Your other sessions have been signed out."),
    )


def _new_password_page(token, purpose, use_link, title: str, done: str):
    try:
        service.account_for_link(purpose, token)
    except Invalid as error:
        return _link_unusable(error)
    template = "auth/new_password.html"
    if request.method == "GET":
        return _form(template, title=title)
    try:
        data = _load(schemas.NewPasswordSchema(), request.form)
        account = use_link(token, data["password"])
    except Invalid as error:
        if "token" in error.errors:
            return _link_unusable(error)
        return _form(template, error.errors, title=title)
    sign_in(account)
    _follow_account_language(account.locale)
    flash(done, "success")
    return redirect(_home())


@blueprint.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgotten_password():
    """Ask for a reset link; the answer is the same whether the email has an account."""
    if request.method == "GET":
        return _form("auth/forgotten_password.html")
    try:
        data = _load(schemas.EmailSchema(), request.form)
    except Invalid as error:
        return _form("auth/forgotten_password.html", error.errors)
    service.request_password_reset(data["email"])
    return render_template("auth/link_sent.html", email=data["email"])


@blueprint.route("/mon-compte/email/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """Confirm a new address with the link sent to it (a button: mail scanners open links)."""
    try:
        _account, new_email = service.pending_email_change(token)
    except Invalid as error:
        return _link_unusable(error)
    if request.method == "GET":
        return render_template("auth/confirm_email.html", new_email=new_email)
    try:
        account = service.confirm_email_change(token)
    except Invalid as error:
        return _link_unusable(error)
    if current_account() is not None and current_account().id == account.id:
        sign_in(account)  # the link ended every session; keep this one
    flash(
        _("The address of your account is now %(email)s.", email=account.email),
        "success",
    )
    return redirect(url_for(".account") if current_account() else url_for(".login"))


def _link_unusable(error: Invalid):
    reason = " ".join(error.errors.get("token", []) or error.errors.get("email", []))
    return render_template("auth/link_unusable.html", reason=reason), 410


# The person's own account


@blueprint.route("/mon-compte", methods=["GET", "POST"])
@login_required
def account():
    """Names, phone, language and (optional) gender; links to the other account pages."""
    person = current_account()
    if request.method == "GET":
        return _account_page(person, _details_of(person))
    try:
        data = _load(schemas.DetailsSchema(), request.form)
        person = service.update_details(person, data)
    except Invalid as error:
        return _account_page(person, _typed(request.form), error.errors)
    _follow_account_language(person.locale)
    with i18n.using_locale(person.locale):  # the next page speaks the chosen language
        flash(_("Your details are saved."), "success")
    return redirect(url_for(".account"))


def _account_page(person, values: Mapping[str, Any], errors=None):
    return _form(
        "auth/account.html",
        errors,
        values=values,
        person=person,
        grants=service.roles_of(person),
        genders=[(gender.value, label()) for gender, label in GENDER_LABELS.items()],
        role_labels={role.value: label() for role, label in ROLE_LABELS.items()},
    )


def _details_of(person) -> dict[str, Any]:
    return {name: getattr(person, name) or "" for name in service.EDITABLE_DETAILS}


@blueprint.route("/mon-compte/email", methods=["GET", "POST"])
@login_required
def change_email():
    """Ask for a new address; it is used once confirmed by the link sent to it."""
    if request.method == "GET":
        return _form("auth/change_email.html")
    try:
        data = _load(schemas.EmailChangeSchema(), request.form)
        service.request_email_change(current_account(), data["email"], data["password"])
    except Invalid as error:
        return _form("auth/change_email.html", error.errors)
    flash(
        _(
            "We sent a link to %(email)s. Open it within 12 hours to confirm the change; "
            "until then, your address stays the same.",
            email=service.normalise_email(data["email"]),
        ),
        "success",
    )
    return redirect(url_for(".account"))


@blueprint.route("/mon-compte/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    """Change the password, confirmed with the current one; other sessions end."""
    if request.method == "GET":
        return _form("auth/change_password.html")
    try:
        data = _load(schemas.PasswordChangeSchema(), request.form)
        account = service.change_password(
            current_account(), data["current_password"], data["password"]
        )
    except Invalid as error:
        return _form("auth/change_password.html", error.errors)
    sign_in(account)  # the change ended every session; keep this one
    flash(_("Your password is changed. Your other sessions have been signed out."), "success")
    return redirect(url_for(".account"))


@blueprint.get("/mon-compte/mes-donnees")
@login_required
def download_data():
    """Everything the instance holds about the signed-in person, as a JSON file."""
    response = Response(personal_data.as_json(current_account()), mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="mes-donnees.json"'
    response.headers["Cache-Control"] = "no-store"
    return response


@blueprint.route("/mon-compte/supprimer", methods=["GET", "POST"])
@login_required
def delete_account():
    """Say what deletion means, then delete once the person confirms with their password."""
    if request.method == "GET":
        return _form("auth/delete_account.html")
    try:
        data = _load(schemas.PasswordConfirmationSchema(), request.form)
        service.delete_account(current_account(), data["password"])
    except Invalid as error:
        return _form("auth/delete_account.html", error.errors)
    sign_out()
    flash(_("Your account is deleted, with your personal data. Thank you for your help."), "info")
    return redirect(url_for("web.home"))


@blueprint.route("/mon-compte/sessions", methods=["GET", "POST"])
@login_required
def sign_out_every_device():
    """Say what signing out of every device does, then do it once the person confirms."""
    if request.method == "GET":
        return render_template("auth/sign_out_everywhere.html")
    sign_out_everywhere(current_account())
    flash(_("You are signed out on every device, this one included."), "info")
    return redirect(url_for(".login"))


# Personal access tokens


@blueprint.route("/mon-compte/jetons", methods=["GET", "POST"])
@login_required
def access_tokens_page():
    """The person's access tokens for the API; a new one is shown once, here."""
    person = current_account()
    if request.method == "GET":
        return _tokens_page(person, _new_token_values())
    try:
        token, secret = access_tokens.create(person, _typed(request.form))
    except Invalid as error:
        return _tokens_page(person, _typed(request.form), error.errors)
    page, status = _tokens_page(person, _new_token_values(), created=token, secret=secret)
    response = current_app.make_response((page, status))
    response.headers["Cache-Control"] = "no-store"  # the token must not stay in a cache
    return response


@blueprint.post("/mon-compte/jetons/<int:token_id>/revoquer")
@login_required
def revoke_access_token(token_id: int):
    """Revoke one of the person's tokens: it stops working at once."""
    access_tokens.revoke(current_account(), token_id)
    flash(_("The token is revoked: it no longer works."), "success")
    return redirect(url_for(".access_tokens_page"))


def _tokens_page(person, values: Mapping[str, Any], errors=None, **context: Any):
    return _form(
        "auth/access_tokens.html",
        errors,
        values=values,
        tokens=access_tokens.tokens_of(person),
        is_expired=access_tokens.is_expired,
        scopes=[(scope.value, label()) for scope, label in SCOPE_LABELS.items()],
        scope_labels={scope.value: label() for scope, label in SCOPE_LABELS.items()},
        max_days=access_tokens.MAX_DAYS,
        **context,
    )


def _new_token_values() -> dict[str, str]:
    zone = ZoneInfo(runtime.current().region.timezone)
    last_day = today(zone) + datetime.timedelta(days=DEFAULT_TOKEN_DAYS)
    return {"scope": AccessScope.READ.value, "expires_on": last_day.isoformat()}


# Helpers


def _load(schema: Schema, form: Mapping[str, str]) -> dict[str, Any]:
    """The validated values of ``form``; empty fields count as missing."""
    data = {
        name: value if name in PASSWORD_FIELDS else value.strip()
        for name, value in form.items()
        if name in schema.fields and (value if name in PASSWORD_FIELDS else value.strip())
    }
    return validated(schema, data)


def _typed(form: Mapping[str, str]) -> dict[str, str]:
    """What the person typed, to show it again; passwords are never sent back."""
    return {name: value for name, value in form.items() if name not in PASSWORD_FIELDS}


def _form(template: str, errors: Mapping[str, list[str]] | None = None, **context: Any):
    """A form page; with ``errors`` it is shown again with them (422) and what was typed."""
    context.setdefault("values", _typed(request.form))
    return form_page(template, errors, **context)


def _home() -> str:
    if "web.dashboard" in current_app.view_functions:
        return url_for("web.dashboard")
    return url_for(".account")


def _follow_account_language(locale: str) -> None:
    if locale in current_app.config.get("TREMPLIN_LOCALES", ()):
        session[LOCALE_SESSION_KEY] = locale
