"""The WSGI entry point: ``gunicorn tremplin.wsgi:app`` with ``TREMPLIN_REGION`` set.

Database connections are pooled: each worker keeps its connection from one request to
the next (see ``tremplin.db.connect``). Log lines go to stderr, which gunicorn's error log
(``--error-logfile``, stderr by default) and the service manager collect, in ``[log]
format`` with each request's id (``tremplin.logs``).
"""

from . import logs
from .app import create_app, runtime_of

app = create_app(pooled=True)
logs.configure(runtime_of(app).region.log)
