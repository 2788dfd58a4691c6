"""The WSGI entry point: ``gunicorn tremplin.wsgi:app`` with ``TREMPLIN_REGION`` set.

Database connections are pooled: each worker keeps its connection from one request to
the next (see ``tremplin.db.connect``).
"""

from .app import create_app

app = create_app(pooled=True)
