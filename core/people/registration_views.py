"""Pages to join the network: ambassadors in five steps, educators of a school.

An ambassador's answers are kept in the session from one step to the next, each step
checked as the person goes (``registration.check_registration_step``); the last one
creates the pending account. An educator finds their school, then gives their details.
Either way the account is activated from the emailed link.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, redirect, render_template, request, session, url_for

from ..i18n import get_locale, lazy_gettext
from ..web.forms import form_page, form_values, submitted
from . import educators, labels, registration, schemas
from .profile_form import LIST_FIELDS, profile_choices, with_rome_code

blueprint = Blueprint("registration", __name__, template_folder="templates")

REGISTRATION_SESSION_KEY = "tremplin_ambassador_registration"
STEP_TITLES = (
    lazy_gettext("Your profile"),
    lazy_gettext("Your personal details"),
    lazy_gettext("Your occupation"),
    lazy_gettext("Interventions you accept"),
    lazy_gettext("Where you intervene"),
)


# Ambassadors, in five steps kept in the session


def _registration() -> dict[str, Any]:
    return session.get(REGISTRATION_SESSION_KEY) or {"done": 0, "values": {}}


def _save_registration(state: dict[str, Any]) -> None:
    session[REGISTRATION_SESSION_KEY] = state
    session.modified = True


def _bounded(value: Any) -> Any:
    """``value`` cut to what a valid answer can hold: the session lives in a 4 KB cookie."""
    if isinstance(value, list):
        return [_bounded(item) for item in value[: schemas.MAX_LIST_ITEMS]]
    return value[:300] if isinstance(value, str) else value


def _step_of(field: str) -> int:
    for number, schema in enumerate(schemas.REGISTRATION_STEPS, start=1):
        if field in schema().fields:
            return number
    return len(schemas.REGISTRATION_STEPS)


@blueprint.get("/inscription/ambassadeur")
def register_start():
    """The registration of ambassadors: where it starts, or where the visitor left it."""
    state = _registration()
    step = min(state["done"] + 1, len(schemas.REGISTRATION_STEPS))
    return redirect(url_for(".register_step", step=step))


@blueprint.route("/inscription/ambassadeur/etape-<int:step>", methods=["GET", "POST"])
def register_step(step: int):
    """One step of the registration; the last one creates the account."""
    count = len(schemas.REGISTRATION_STEPS)
    if not 1 <= step <= count:
        abort(404)
    state = _registration()
    if step > state["done"] + 1:
        return redirect(url_for(".register_step", step=state["done"] + 1))
    values = state["values"].get(str(step), {})
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        fields = schemas.REGISTRATION_STEPS[step - 1]().fields
        values = with_rome_code(
            {
                key: _bounded(value)
                for key, value in form_values(request.form, LIST_FIELDS).items()
                if key in fields
            }
        )
        state["values"][str(step)] = values
        if request.form.get("action") == "previous" and step > 1:
            _save_registration(state)
            return redirect(url_for(".register_step", step=step - 1))
        _data, errors = submitted(lambda: registration.check_registration_step(step, values))
        ticked = _ticked_terms() if step == count else {}
        if not errors:
            state["done"] = max(state["done"], step)
            _save_registration(state)
            if step < count:
                return redirect(url_for(".register_step", step=step + 1))
            return _finish_registration(state, ticked)
        if step == count:
            errors.update(registration.refused_terms(registration.terms_to_accept(), ticked))
        _save_registration(state)
        return _render_step(step, values, errors, ticked)
    return _render_step(step, values, errors)


def _ticked_terms() -> dict[str, str]:
    """The boxes of the conditions to accept ticked on the last step, with their version."""
    return {
        term.field: request.form.get(term.field, "")[:100]
        for term in registration.terms_to_accept()
    }


def _finish_registration(state: dict[str, Any], accepted: dict[str, str]):
    merged: dict[str, Any] = {}
    for number in range(1, len(schemas.REGISTRATION_STEPS) + 1):
        merged.update(state["values"].get(str(number), {}))
    _ambassador, errors = submitted(
        lambda: registration.register_ambassador(merged, locale=get_locale(), accepted=accepted)
    )
    if errors:
        step = min(_step_of(field) for field in errors)
        state["done"] = step - 1
        _save_registration(state)
        return _render_step(step, state["values"].get(str(step), {}), errors, accepted)
    session.pop(REGISTRATION_SESSION_KEY, None)
    return redirect(url_for(".registered"))


def _render_step(
    step: int,
    values: dict[str, Any],
    errors: dict[str, list[str]],
    ticked: dict[str, str] | None = None,
):
    """The page of step ``step``; the last one shows the conditions to accept, with the
    boxes ``ticked`` still ticked if their version is still the one in force."""
    return form_page(
        "people/register_step.html",
        errors,
        step=step,
        steps=[str(title) for title in STEP_TITLES],
        values=values,
        terms=registration.terms_to_accept() if step == len(STEP_TITLES) else [],
        ticked=ticked or {},
        **profile_choices(),
    )


@blueprint.get("/inscription/merci")
def registered():
    """What to do now: activate the account from the email, within 12 hours."""
    return render_template("people/registered.html")


# Educators join a school or a support structure


@blueprint.get("/inscription/equipe-educative")
def educator_school():
    """Find one's school or structure by UAI or name."""
    text = request.args.get("q", "").strip()
    schools = educators.find_schools(text) if text else []
    return render_template("people/educator_school.html", q=text, schools=schools)


@blueprint.route("/inscription/equipe-educative/<int:organisation_id>", methods=["GET", "POST"])
def educator_register(organisation_id: int):
    """An educator's details, to join the chosen school or structure."""
    school = educators.get_school(organisation_id)
    values: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        values = form_values(request.form)
        _account, errors = submitted(
            lambda: educators.register_educator(organisation_id, values, locale=get_locale())
        )
        if not errors:
            return redirect(url_for(".registered", equipe=1))
    return form_page(
        "people/educator_register.html",
        errors,
        school=school,
        values=values,
        genders=list(labels.GENDER_LABELS.items()),
    )
