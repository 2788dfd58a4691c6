"""The WSGI entry point: ``gunicorn tremplin.wsgi:app`` with ``TREMPLIN_REGION`` set."""

from .app import create_app

app = create_app()
