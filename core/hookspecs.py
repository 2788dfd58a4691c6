"""The plugin contract: every hook Tremplin calls, with when, with what, and what comes back.

Each hook is a typed specification marked by its kind, which decides how Tremplin calls it
(``tremplin.pluginmanager.Hooks`` dispatches on it, so the words and the code cannot
disagree):

* ``@collect``: the answers of every plugin are gathered, ``None`` dropped and lists
  flattened;
* ``@call``: implementations run for their effect; their return value is ignored;
* ``@first``: implementations run until one answers something else than ``None`` (pluggy's
  ``firstresult``).

Whatever the kind, implementations run in registration order: the core's areas first, in
dependency order, then the region's plugins in the order of ``tremplin.toml``, then plugin
objects given directly (tests). Hooks are called with keyword arguments only, and an
implementation may name fewer arguments than its specification: hooks evolve by adding
arguments, never by removing them. No hook is ever called once per row of a list: what must
filter or count many rows is expressed in SQL.

The docstrings below are Markdown: ``docs/plugins/hooks.md`` shows each of them word for word
beside its examples (``tests/test_docs.py`` checks it; ``python tests/test_docs.py --write``
rewrites those parts).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .hookkinds import call, collect, one_ambassador_at_a_time

if TYPE_CHECKING:
    import click
    import flask
    import marshmallow

    from .auth.models import Account
    from .db import BaseModel
    from .demo.generator import DemoNetwork
    from .documents.models import Circuit
    from .i18n import Domain
    from .imports import Importer
    from .interventions.models import Intervention
    from .people.holds import Hold
    from .people.models import Ambassador
    from .people.terms import RegistrationTerms
    from .privacy import ProcessingActivity
    from .queue import InstanceQueue
    from .region import Region
    from .reports import ImportReport
    from .stats.figures import Figure
    from .territories.models import Territory
    from .web.navigation import Link, Panel

# Building the instance


@collect
def register_models() -> list[type[BaseModel]]:
    """The peewee models the plugin owns.

    Called by `tremplin db check`, which reports every table or column of these models that
    is missing from the database, and every table of a plugin whose name does not start with
    the plugin's prefix (`NAME_`; exit code 1).

    Return a list of model classes. Models subclass `tremplin.db.BaseModel`, which binds them
    to the instance's database. Name a plugin's tables after the plugin
    (`tremplin.plugin.Plugin.table`): `opendays_open_day`. The tables themselves are created
    by the plugin's migrations, never by `create_tables` at start-up.
    """


@collect
def register_migrations() -> list[tuple[str, Path]]:
    """Where the plugin's migrations live.

    Called by `tremplin db upgrade`, `tremplin db status`, `tremplin init`, `tremplin demo`
    and by the test kit's `make_app`.

    Return a list of `(component, directory)` pairs (`tremplin.plugin.Plugin.migrations`
    gives the plugin's own). `component` names the history of these migrations, the
    plugin's name; it must be unique in the instance. `directory` holds numbered files
    `0001_name.py`, each defining `up(migrator, db)` (the file format of peewee's
    `playhouse.migrations`; `migrator` is a `playhouse.migrate.SchemaMigrator`). Components
    are migrated in registration order (core areas first), and files in number order. Each
    file runs in its own transaction, together with its row in the history table; set
    `atomic = False` at module level for a migration that must not run in a transaction.
    """


@collect
def register_settings_schema() -> type[marshmallow.Schema]:
    """The marshmallow schema of the plugin's `[plugins.NAME]` block in `tremplin.toml`.

    Called once while the app is created, before any hook that needs settings. Return a
    `marshmallow.Schema` subclass, not an instance. The block is loaded with it (an absent
    block is loaded as `{}`, so `load_default` values apply); unknown keys and wrong values
    stop start-up with the file, the key and the reason, in the region's language. A plugin
    that implements no schema takes no settings: a `[plugins.NAME]` block for it is an error.

    Read the loaded settings anywhere in the instance with `plugin.settings()`
    (`tremplin.plugin.Plugin`) or `tremplin.runtime.settings_of(NAME)`.
    """


@collect
def register_blueprints(app: flask.Flask) -> list[flask.Blueprint]:
    """Flask blueprints to register on the app.

    Called once while the app is created, before any app context exists. `app` is the
    `flask.Flask` being built.

    Return a list of blueprints. A `flask.Blueprint` is registered on the app as it is; a
    `flask_smorest.Blueprint` is registered on the JSON API and appears in its OpenAPI
    document (`/api/v1/openapi.json`). Give API blueprints a `url_prefix` under `/api/v1/`:
    the prefix is not added for you. Name blueprints after the plugin.
    """


@collect
def register_translations() -> list[Domain]:
    """The plugin's own translation domain.

    Called once while the app is created. Return a list of `tremplin.i18n.Domain`: a domain
    name and the folder holding `<locale>/LC_MESSAGES/<name>.po` (`plugin.domain` of
    `tremplin.plugin.Plugin` is the plugin's own). Templates look a message up in the core's
    catalog first, then in these domains in registration order. Python code translates
    through its own domain (`domain.gettext`).
    """


@call
def register_commands(cli: click.Group) -> None:
    """Add commands to the `tremplin` command line.

    Called once while the app is created. `cli` is a `click.Group` whose commands the
    `tremplin` command line offers next to its own (`tremplin --help` lists them when it
    finds the region). Use `cli.command()` or `cli.add_command()`. Commands run inside the
    instance's app context, with the region's default locale. Report bad input the way core
    commands do: raise `tremplin.errors.CliError` (one line on standard error, exit code 2).
    """


@call
def register_tasks(queue: InstanceQueue) -> None:
    """Declare the plugin's background tasks and periodic tasks.

    Called once while the app is created, before any app context exists, with the
    instance's task queue: a huey queue (`tremplin.queue.InstanceQueue`) stored in SQLite or
    Redis. Decorate functions with `queue.task(name=...)` and
    `queue.periodic_task(huey.crontab(...), name=...)`; name each task after the plugin
    (`"opendays.remind"`).

    `tremplin worker` runs the tasks inside the instance's app context: the models, the
    hooks, the plugin's settings and `url_for(..., _external=True)` work as in a request.
    Elsewhere (a service, a view, another task), enqueue a task by its name with
    `tremplin.queue.enqueue(name, *args, **kwargs)`; pass ids rather than model instances,
    since arguments are pickled into the queue. Emails a task queues are sent once it has
    run, as after a request. In tests (`make_app`) the queue is immediate: a task runs as
    soon as it is enqueued, and its error reaches the caller.

    A periodic task may run twice when several workers run the periodic tasks, or when one
    is late: make it idempotent (record what it did, filter on it in SQL).
    """


@call
def startup(app: flask.Flask) -> None:
    """React once to the app being configured.

    Called at the end of `create_app`, after every blueprint is registered, inside the app
    context. Use it for checks that need the whole configuration; raise to refuse to start.
    """


@call
def command_finished(command: str) -> None:
    """React to the end of a `tremplin` command.

    Called after the command named `command` (`"import"`, `"db"`, `"charter"`: the word
    after `tremplin`) has run, whether it succeeded or not, inside the instance's app
    context. The outbox uses it to hand the emails the command queued to the task queue, as
    it does after a request.
    """


# Navigation


@collect
def menu_links(user: Account | None) -> list[Link]:
    """Links for the main navigation.

    Called each time a page is rendered (from the base layout). `user` is the signed-in
    `tremplin.auth.models.Account`, or `None` for a visitor.

    Return a list of `tremplin.web.navigation.Link` (a translated `label`, an `href` and
    the `group` of the menu it is shown in); an empty list adds nothing. The menu shows
    `Group.MAIN` links on their own, then one menu button per group that has links
    (`JOIN`, `INTERVENTIONS`, `NETWORK`, `STEERING`, `ACCOUNT`, `MORE`, in that order);
    a link without a group goes under "More". Within a group, links appear in plugin order.
    """


@collect
def dashboard_panels(user: Account) -> list[Panel]:
    """Panels for the signed-in user's dashboard.

    Called when the dashboard (`/tableau-de-bord`) is rendered. `user` is the signed-in
    `tremplin.auth.models.Account`.

    Return a list of `tremplin.web.navigation.Panel`: a translated `title` and its `html` as
    `markupsafe.Markup` (a plain `str` is shown as text).
    """


# Region data and the demo


@collect
def load_region_data(region: Region) -> ImportReport | None:
    """Import the plugin's part of a region folder.

    Called by `tremplin region load` (and by `tremplin init` and `tremplin demo`), in
    registration order, so that a plugin's data may name the core's (an organisation names
    its territory). `region` is the loaded `tremplin.region.Region`; read files from
    `region.path` (for example `region.path / "data" / "opendays.csv"`). It must be
    idempotent: running it twice on the same files changes nothing the second time.

    Return a `tremplin.reports.ImportReport` counting created, updated, unchanged and
    rejected rows (with their line and reason), or `None` when the region has nothing for
    the plugin. `tremplin region load` prints one summary line per report, then each
    rejected row, and exits with code 1 when a row was rejected.
    """


@call
def populate_demo(demo: DemoNetwork) -> None:
    """Add the plugin's part to the invented network of `tremplin demo`.

    Called once, when `tremplin demo` fills an empty database, inside the demo's
    transaction (a failure leaves the database empty), after the core wrote its people,
    organisations, interventions and messages, in registration order. `demo` is a
    `tremplin.demo.generator.DemoNetwork`: `demo.ambassadors` (each with `id`, `account_id`,
    `active`, `created_at`, `place.territory_id`...), `demo.showcase` (the ambassador of the
    demo login, whose pages the tour shows: keep them in order, never among those left
    waiting), `demo.referent_for(territory_id)` (an account id), `demo.now` and
    `demo.today`, `demo.random` (seeded: draw from it, never from `random` itself, so that
    the demo stays reproducible), `demo.insert(model, row)` (batched insertion; returns the
    row's id, which later rows may name) and `demo.flush()` (write what is queued, before
    reading it back).

    Make most people look as if they did what the plugin asks and leave a few waiting, so
    that each screen has something to show. Holds are not rebuilt after this hook (asking
    `ambassador_holds` about every ambassador would not scale to the demo's largest sizes):
    set the holds your data calls for yourself, in bulk.
    """


@collect
def register_importers() -> list[Importer]:
    """Kinds of record that `tremplin import NAME FILE` reads from CSV.

    Called when `tremplin import` runs. Return a list of `tremplin.imports.Importer`: a
    `name` (the `NAME` of the command), a `description` (the label of the progress bar),
    the `columns` the file must have, and `load`, a function that receives
    `(line number, row)` pairs (empty cells are `None`) and returns a
    `tremplin.reports.ImportReport`. `load` must keep the good rows when others are bad,
    report each bad row with its line and reason, and change nothing when the same file is
    imported again.
    """


# People and interventions


@collect(
    deprecated={
        "ambassador": (
            DeprecationWarning(
                "ambassador_holds(ambassador) is deprecated: take `ambassadors` (a batch) and "
                "answer {ambassador id: [Hold, ...]} (docs/plugins/hooks.md)"
            ),
            one_ambassador_at_a_time,
        )
    }
)
def ambassador_holds(
    ambassadors: Sequence[Ambassador], ambassador: Ambassador
) -> Mapping[int, list[Hold]]:
    """Reasons this plugin keeps each of `ambassadors` out of search and requests.

    `ambassadors` is a list of `tremplin.people.models.Ambassador` rows. The hook is called
    once per batch (`tremplin.people.holds.BATCH_SIZE`, 200 ambassadors) by
    `tremplin holds rebuild` (every ambassador, batch after batch) and when ambassadors
    register or are imported (the new ones, in the transaction that creates them), and with
    a one-element list when a referent asks why an ambassador is hidden. Answer the whole
    batch in a few queries (an `IN` on their ids), never a query per ambassador.

    Return a mapping `{ambassador id: [Hold, ...]}` of `tremplin.people.holds.Hold(code,
    reason)`; an id left out (or mapped to an empty list) has no holds. `code` is stable
    within the plugin (100 characters at most), `reason` is shown to referents (translate
    it; 300 characters at most). Another answer stops the caller with
    `tremplin.people.holds.HookFailed`, naming the plugin.

    `ambassador` is the hook's first form, deprecated: an implementation that names it
    (instead of `ambassadors`) is still called, once per ambassador, and answers a list of
    holds; a `DeprecationWarning` is given when such a plugin is registered.

    Never called per row of a search: holds live in a core table that the directory filters
    in SQL. Set and release them when your state changes with
    `tremplin.people.holds.set_hold(ambassador, plugin.name, code, reason)` and
    `release_hold(ambassador, plugin.name, code)`. `tremplin holds rebuild` replaces the rows
    of each plugin with its answer and removes those of plugins no longer enabled; rows of a
    plugin that is not enabled never hide anyone.
    """


@collect
def registration_terms() -> list[RegistrationTerms]:
    """Conditions a person accepts to become an ambassador, shown on the registration's last
    step.

    Called when the last step of the registration (`/inscription/ambassadeur/etape-5`) is
    shown and again when it is sent. Return a list of `tremplin.people.terms.
    RegistrationTerms(key, version, title, html, language)`: the text in force (`html` as
    `markupsafe.Markup`) and its version; an empty list (or `None`) when there is nothing
    to accept. Each text is shown with a box to tick reading "I have read the conditions
    above and accept them"; the account is created only when every box is ticked for the
    version still in force, otherwise the form comes back with its values and an error (a
    422 answer). Record the acceptance in `ambassador_registered`.
    """


@call
def ambassador_registered(ambassador: Ambassador, accepted_terms: Mapping[str, str]) -> None:
    """React to a new ambassador's registration, with the conditions they accepted.

    Called inside the transaction that creates `ambassador` (a
    `tremplin.people.models.Ambassador`, its account still pending activation) from the
    registration form, before its holds are computed, so that what you record now (the
    charter accepted) already counts in `ambassador_holds`. `accepted_terms` maps the `key`
    of each `RegistrationTerms` your plugin (or another) answered to `registration_terms` to
    the version the person accepted: look for your own keys. Raising cancels the
    registration.
    """


@collect
def validate_intervention(intervention: Intervention) -> dict[str, list[str]] | None:
    """Rule violations of an intervention request before it is saved.

    Called inside the transaction that saves `intervention`, after the core's own rules:
    when a request is created (a new request, one made again after a decline, an invitation
    to an event; not saved yet, so without an id, but with its type, mode, organisation,
    territory, ambassador, audience, group size, duration and first date `starts_at`, UTC)
    and whenever its date is fixed, with that date: when the ambassador accepts on one of
    the proposed dates (which schedules it) and when a scheduled intervention is given
    another date.

    Return a dict mapping field names to lists of translated messages, empty (or `None`)
    when the request is valid. The answers of every plugin are merged, field by field; when
    any message comes back, nothing is saved and the request is refused with them as field
    errors (a 422 answer in the API, the form shown again on a page).
    """


@call
def intervention_changed(
    intervention: Intervention, old_status: str | None, new_status: str
) -> None:
    """React to a workflow transition of an intervention.

    Called after the transaction that moved `intervention` from `old_status` to `new_status`
    has committed, once for every transition: a request created (`old_status` is `None`),
    accepted on one of its proposed dates, which fixes the date (`"requested"` →
    `"scheduled"`: one transition, there is no `"accepted"` step), declined, expired,
    completed (its report saved) and cancelled. An intervention accepted before accepting
    fixed the date (`"accepted"`, data of earlier versions) goes `"accepted"` →
    `"scheduled"` when its date is fixed. Statuses are the strings of
    `tremplin.interventions.models.Status`; `intervention` is the row as it stands after the
    transition. Two changes keep their status and are announced too: a referent giving a
    routed request to an ambassador (`"requested"` → `"requested"`) and a new date for a
    scheduled intervention (`"scheduled"` → `"scheduled"`). Do not raise: the transition is
    already committed.

    It runs in the request that made the transition: keep it for what must be exact as soon
    as the request answers (a ledger, figures). Telling people (notifications, emails,
    calendar invitations) and any other work that may wait a few seconds belongs in
    `intervention_announced`, which the worker calls.
    """


@call
def intervention_announced(
    intervention: Intervention, old_status: str | None, new_status: str
) -> None:
    """Tell people of a workflow transition of an intervention, in the worker.

    Called once for every transition `intervention_changed` is called for, with the same
    `old_status` and `new_status`, by the task queue's worker (`tremplin worker`) shortly
    after the transition committed (at once, in the caller, with the immediate queue of
    tests), inside a transaction that commits what the implementations write together
    with the record that the transition was announced: if one raises, nothing of it is
    kept and the worker tries again a minute later, so write only to the database (queue
    emails in the outbox, which sends them once the transaction has committed).
    Announcements of one intervention come in the order of its transitions, but
    `intervention` is the row as it stands when the worker runs, which may be after later
    transitions: tell the transition named by the statuses, with today's facts. The core
    answers it with the notifications and emails of the messaging area and the calendar
    invitations.
    """


@call
def survey_answers_changed(intervention: Intervention) -> None:
    """React to a satisfaction survey answer about `intervention` given, replaced or
    withdrawn.

    Called after the transaction that saved or deleted the answer has committed, once per
    answer, whether it came through a survey link, the intervention's page or the API. An
    answer given with the report is announced by `intervention_changed` (`"scheduled"` →
    `"completed"`) instead. `intervention` is the completed
    `tremplin.interventions.models.Intervention` the answer is about; its answers are its
    `feedback`. Do not raise: the answer is already saved.
    """


# Statistics


@collect
def key_figures(
    period: tuple[datetime.date, datetime.date], territory: Territory
) -> list[Figure | tuple[str, int | float | None]]:
    """Extra rows for the key figures of `territory` over `period`.

    Called whenever key figures are computed (pages, CSV, API, `tremplin stats`). `period` is
    a `(start, end)` pair of dates and `territory` a `tremplin.territories.models.Territory`.

    Return a list of rows, each computed in SQL (never by looping over rows in Python): a
    `(label, value)` pair, or a `tremplin.stats.figures.Figure(key, label, value, unit,
    parts)` for a rate (`unit="percent"`) or a duration (`unit="hours"`), `parts` being the
    counts it comes from (a rate is hidden on the public page when one of its parts is).
    """


# Personal data


@collect
def may_contact(person: Account, purpose: str) -> bool | None:
    """Whether `person` may be written to for `purpose`, beyond what the service needs.

    `purpose` is `"survey"` (asking for an opinion, such as the feedback on an
    intervention) or `"communication"` (news and announcements the person did not ask
    for). What the service needs (a request to answer, a date, a cancellation, a password)
    is always sent and never asks. Answer `False` to keep such emails from `person` (they
    objected to that processing, GDPR art. 21), `None` to leave it to others: one `False`
    is enough. Before writing such an email yourself, ask
    `tremplin.mail.service.may_contact(person, purpose)`.
    """


@collect
def personal_data(person: Account) -> dict[str, Any] | None:
    """Everything the plugin holds about `person`.

    Called when a person downloads their data from their account page
    (`/mon-compte/mes-donnees`) and for a GDPR access or portability request. `person` is a
    `tremplin.auth.models.Account`.

    Return a dict `{section title: JSON-serialisable data}` (translated titles), or `None`
    when the plugin holds nothing about the person. Give the data itself, not ids of other
    people: what another person wrote or is stays theirs.
    """


@call
def account_leaving(person: Account, reason: str) -> None:
    """Close what `person` leaves open as their account stops: it is deleted or suspended.

    Called inside the transaction that deletes (`reason` `"deleted"`) or suspends
    (`"suspended"`) the account, before anything else changes (the account is still
    active, its names still there; `erase_personal_data` comes after a deletion), so that
    a failure leaves everything as it was. Cancel the person's open and upcoming
    commitments and tell the people who counted on them why. `reason` is a
    `tremplin.auth.models.Departure`.
    """


@call
def erase_personal_data(person: Account) -> None:
    """Erase or anonymise what the plugin holds about `person`.

    Called inside the transaction that deletes an account (from `/mon-compte/supprimer`) or
    answers a GDPR erasure request, so a failure leaves nothing half-erased. Keep what
    statistics need, anonymised, and what a legal obligation requires.
    """


@collect
def processing_activities() -> list[ProcessingActivity]:
    """Rows of the register of processing activities (GDPR article 30).

    Called when the register is shown, on `/donnees-personnelles` and at
    `/api/v1/privacy/processing-activities`. Return a list of
    `tremplin.privacy.ProcessingActivity`: a `name`, its `purpose`, its `legal_basis`, the
    `data` kept and the `retention` period, all translated, for people to read.
    """


@call
def purge_expired(now: datetime.datetime) -> Mapping[str, int] | None:
    """Apply the plugin's retention periods.

    Called by `tremplin purge` and the nightly task (3:00) with `now`, an aware `datetime`
    (UTC). Delete or anonymise what has outlived its retention period, in SQL (one `DELETE`
    or `UPDATE`, not a loop).

    Return, if you can, what was purged: `{short translated label: count}` (`{"sent
    emails": 12}`); `tremplin purge` prints it and the nightly task logs it, plugin by
    plugin. `None` says nothing.
    """


@call
def signature_circuit_changed(circuit: Circuit, event: str) -> None:
    """React to a step of a signature circuit of the documents area.

    Called by `tremplin.documents` after the transaction that made the step has committed,
    once per step. `circuit` is the `tremplin.documents.models.Circuit` as it stands after
    the step: `circuit.document` is the document signed (filter on its `owner`, your
    plugin's name, and its `subject`), `circuit.status` is `"open"`, `"complete"` or
    `"cancelled"`, and `tremplin.documents.circuits.signatories_of(circuit)` gives the
    signatories. `event` is one of the strings of `tremplin.documents.circuits.CircuitEvent`:
    `"started"` (the first invitations are queued), `"signed"` (one more signatory signed,
    through their link or on paper), `"restarted"` (the content changed: every signature was
    voided and everyone is asked again), `"completed"` (every signatory signed the current
    content; right after the last `"signed"`) or `"cancelled"`.

    Every plugin is called for every circuit: ignore those of other owners. Do not raise:
    the step is already committed. You may start new transactions (issue the signed
    document, for example).
    """
