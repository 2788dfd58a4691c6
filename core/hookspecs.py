"""The plugin contract: every hook Tremplin calls, with when, with what, and what comes back.

Hooks are called with keyword arguments only. An implementation may accept fewer arguments
than its specification (pluggy passes only those it names), which is how hooks evolve: we
add arguments, never remove them.

Two kinds of hooks:

* *collect* hooks return a value (usually a list); Tremplin gathers the answers of every
  plugin, in the order the plugins were registered (core areas first, then the region's
  plugins in the order of ``tremplin.toml``), and flattens lists;
* *call* hooks are called for their effect; their return value is ignored. pluggy calls
  the most recently registered plugin first, so a region's last plugin reacts first.

No hook is ever called once per row of a list: what must filter or count many rows is
expressed in SQL (see ``ambassador_holds``).
"""

import pluggy

PROJECT_NAME = "tremplin"

hookspec = pluggy.HookspecMarker(PROJECT_NAME)
hookimpl = pluggy.HookimplMarker(PROJECT_NAME)


@hookspec
def register_models():
    """Peewee models the plugin owns (collect).

    Called by ``tremplin db check`` to verify that every model has its table and columns
    once the migrations have run. Return a list of model classes.
    Tables of a plugin are prefixed by the plugin's name.
    """


@hookspec
def register_migrations():
    """Where the plugin's migrations live (collect).

    Called by ``tremplin db upgrade`` and ``tremplin db status``. Return a list of
    ``(component, directory)`` pairs; ``component`` names the history of these
    migrations (usually the plugin's name) and ``directory`` holds numbered files
    ``0001_name.py`` that each define ``up(migrator, db)``.
    """


@hookspec
def register_settings_schema():
    """The marshmallow schema of the plugin's ``[plugins.NAME]`` block (collect).

    Called once at start-up, before any other hook that needs settings. Return a
    ``marshmallow.Schema`` subclass (not an instance). The block is validated with it;
    unknown keys and wrong types stop start-up with the file, the key and the reason.
    The loaded settings are available as ``tremplin.runtime.settings_of(NAME)``.
    """


@hookspec
def register_blueprints(app):
    """Flask blueprints to register on ``app`` (collect).

    Called once while the app is created. Return a list of ``flask.Blueprint``; a
    ``flask_smorest.Blueprint`` is registered on the JSON API and appears in its OpenAPI
    document. Blueprints set their own ``url_prefix``: ``/api/v1/NAME`` for the API.
    """


@hookspec
def register_translations():
    """The plugin's own translation domain (collect).

    Called once while the app is created. Return a list of ``tremplin.i18n.Domain``.
    Templates look a message up in the core's catalog first, then in these domains.
    """


@hookspec
def register_commands(cli):
    """Add click commands to the ``tremplin`` command line (call).

    Called once while the app is created, with the app's own ``click.Group``: use
    ``cli.command()`` or ``cli.add_command()``. ``tremplin`` offers these commands beside
    its core ones; they run inside the instance's app context.
    """


@hookspec
def register_tasks(queue):
    """Declare the plugin's background tasks and periodic tasks on ``queue`` (call).

    Called once while the app is created, with the instance's task queue (a huey queue,
    ``tremplin.queue.InstanceQueue``). Decorate functions with ``queue.task(name=...)`` or
    ``queue.periodic_task(huey.crontab(...), name=...)``; name them after the plugin
    (``"opendays.remind"``). ``tremplin worker`` runs them inside the instance's app
    context; services enqueue one with ``tremplin.queue.enqueue(name, *args)``. Arguments
    must be picklable (ids, not model instances). The return value is ignored.
    """


@hookspec
def menu_links(user):
    """Links for the main navigation (collect).

    Called when a page is rendered. ``user`` is the signed-in account, or ``None``.
    Return a list of ``tremplin.web.navigation.Link``; an empty list adds nothing.
    """


@hookspec
def dashboard_panels(user):
    """Panels for the signed-in user's dashboard (collect).

    Called when the dashboard is rendered. ``user`` is the signed-in account, or
    ``None``. Return a list of ``tremplin.web.navigation.Panel`` (a title and HTML).
    """


@hookspec
def startup(app):
    """React once to the app being configured (call).

    Called at the end of ``create_app``, after every blueprint is registered and inside
    the app context. Use it for checks that need the whole configuration. The return
    value is ignored.
    """


@hookspec
def load_region_data(region):
    """Import the plugin's part of a region folder (collect).

    Called by ``tremplin region load``. ``region`` is the loaded ``tremplin.region.Region``;
    read files from ``region.path``. Must be idempotent. Return a
    ``tremplin.reports.ImportReport`` (created, updated, unchanged, rejected rows), or
    ``None`` when the plugin has nothing to load.
    """


@hookspec
def populate_demo(demo):
    """Add this plugin's part to the synthetic network of ``tremplin demo`` (call).

    Called once, inside the demo's transaction, after the core wrote its people,
    organisations and interventions. ``demo`` is a ``tremplin.demo.generator.DemoNetwork``:
    ``demo.ambassadors`` (each with ``id``, ``account_id``, ``active``, ``created_at``,
    ``place.territory_id``), ``demo.referent_for(territory_id)`` (an account id),
    ``demo.now`` and ``demo.today``, ``demo.random`` (seeded: draw from it, never from
    ``random`` itself, so that the demo stays reproducible), ``demo.insert(model, row)``
    (batched insertion; returns the row's id, which later rows may name) and
    ``demo.flush()`` (write what is queued, before reading it back). Make most people look
    as if they did what the plugin asks and leave a few waiting, so that each screen has
    something to show; set the holds your state calls for yourself (holds are not rebuilt
    after this hook: asking ``ambassador_holds`` about every ambassador would not scale to
    the demo's largest sizes). Called in registration order; the return value is ignored.
    """


@hookspec
def register_importers():
    """Kinds of record that ``tremplin import NAME FILE`` can read from CSV (collect).

    Called when the command line starts. Return a list of ``tremplin.imports.Importer``
    (name, description, expected columns, and the function that loads the rows).
    """


@hookspec(
    warn_on_impl_args={
        "ambassador": DeprecationWarning(
            "ambassador_holds(ambassador) is deprecated: take `ambassadors` (a batch) and "
            "answer {ambassador id: [Hold, ...]} (docs/plugins/hooks.md)"
        )
    }
)
def ambassador_holds(ambassadors, ambassador):
    """Reasons this plugin keeps each of ``ambassadors`` out of search and requests (collect).

    Called when holds are rebuilt (``tremplin holds rebuild``, an ambassador registered or
    imported), once per batch of up to a few hundred ``tremplin.people.models.Ambassador``
    rows, and with a one-element list when a referent asks why an ambassador is hidden.
    Answer the whole batch in a few queries, not a query per ambassador. Return a mapping
    ``{ambassador id: [tremplin.people.holds.Hold(code, reason), ...]}``; an id left out
    has no holds. Never called per row of a search: holds are materialised in a core table
    that plugins set and release through the core's service when their state changes.

    Deprecated: an implementation that names ``ambassador`` instead (the first form of this
    hook) is still called, once per ambassador, and answers a list of holds.
    """


@hookspec
def validate_intervention(intervention):
    """Rule violations of an intervention request before it is saved (collect).

    Called inside the transaction that saves ``intervention``: when a request is created
    (a new request, one made again after a decline, an invitation to an event; not saved
    yet, so without an id) and when its date is fixed (with the new date). Return a dict
    mapping field names to lists of messages (empty when the request is valid); the
    request is refused with these messages as field errors.
    """


@hookspec
def intervention_changed(intervention, old_status, new_status):
    """React to a workflow transition of an intervention (call).

    Called after the transaction that moved ``intervention`` from ``old_status`` to
    ``new_status`` has committed (for example, count sponsorship hours once an
    intervention is completed). ``old_status`` is ``None`` when a request is created; it
    equals ``new_status`` when a referent gives a request to an ambassador ("requested")
    or a scheduled intervention gets a new date ("scheduled"). The return value is ignored.
    """


@hookspec
def key_figures(period, territory):
    """Extra rows for the key figures of ``territory`` over ``period`` (collect).

    Called when statistics are computed. ``period`` is a ``(start, end)`` pair of dates
    and ``territory`` a ``Territory``. Return a list of figures (label, value),
    computed in SQL.
    """


@hookspec
def personal_data(person):
    """Everything the plugin holds about ``person`` (collect).

    Called for a GDPR access or portability request and when a person downloads their
    data. Return a dict ``{section title: JSON-serialisable data}``, or ``None``.
    """


@hookspec
def erase_personal_data(person):
    """Erase or anonymise what the plugin holds about ``person`` (call).

    Called inside the transaction that deletes an account or answers a GDPR erasure
    request. Keep what the statistics need, anonymised. The return value is ignored.
    """


@hookspec
def processing_activities():
    """Rows of the register of processing activities, GDPR article 30 (collect).

    Called when the register is shown (``/donnees-personnelles`` and
    ``/api/v1/privacy/processing-activities``). Return a
    list of ``tremplin.privacy.ProcessingActivity``: purpose, legal basis, data kept,
    retention period.
    """


@hookspec
def purge_expired(now):
    """Apply the plugin's retention periods (call).

    Called by ``tremplin purge`` (run it daily) with ``now``, an aware ``datetime``;
    delete or anonymise what has outlived its retention period. The return value is
    ignored.
    """


@hookspec
def signature_circuit_changed(circuit, event):
    """React to a step of a signature circuit of the documents area (call).

    Called after the transaction that made the step has committed. ``circuit`` is the
    ``tremplin.documents.models.Circuit`` as it stands (``circuit.document`` is the document
    signed; filter on its ``owner``), ``event`` one of ``"started"``, ``"signed"`` (one more
    signatory signed, by link or on paper), ``"restarted"`` (the document changed: every
    signature was voided), ``"completed"`` (everyone signed the current content) and
    ``"cancelled"``. The return value is ignored.
    """
