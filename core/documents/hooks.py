"""The documents area as a core plugin: documents, signature circuits, their pages."""

from pathlib import Path

from huey import crontab

from ..hookkinds import hookimpl
from . import circuits, models, privacy, rendering, schemas, views

REMINDERS_TASK = "documents.reminders"


@hookimpl
def register_models():
    """Documents, number series, circuits, signatories and signatures."""
    return [
        models.Document,
        models.DocumentSeries,
        models.Circuit,
        models.Signatory,
        models.Signature,
    ]


@hookimpl
def register_migrations():
    """The documents area's migrations."""
    return [("documents", Path(__file__).parent / "migrations")]


@hookimpl
def register_settings_schema():
    """``[plugins.documents]``: link lifetime, reminder interval, scan retention."""
    return schemas.SettingsSchema


@hookimpl
def register_blueprints(app):
    """The signing pages."""
    return [views.blueprint]


@hookimpl
def register_tasks(queue):
    """``documents.reminders``, every hour: remind those who have not signed."""
    queue.periodic_task(crontab(minute="15"), name=REMINDERS_TASK)(circuits.remind)


@hookimpl
def startup(app):
    """Render documents with the app's templates (see ``rendering``)."""
    rendering.use_templates(app.jinja_env)


@hookimpl
def personal_data(person):
    """The signatures of the person, and the paper signatures they recorded."""
    return privacy.personal_data(person) or None


@hookimpl
def erase_personal_data(person):
    """Keep signatures in force (evidence of contracts), unlinked; delete voided ones."""
    privacy.erase(person)


@hookimpl
def processing_activities():
    """Documents and signatures, in the register of processing activities."""
    return privacy.processing_activities()


@hookimpl
def purge_expired(now):
    """Scans of paper signatures after ``scan_kept_days``; files no row names."""
    privacy.purge(now)
