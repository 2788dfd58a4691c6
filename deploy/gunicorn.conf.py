"""gunicorn's settings for a Tremplin host.

    gunicorn -c deploy/gunicorn.conf.py tremplin.wsgi:app


Command-line options win over this file (``--bind 10.0.0.2:8000``, ``--workers 8``).
Both logs go to stderr, collected by systemd's journal or the container runtime: the
access log (one line per request, with its ``X-Request-ID``) and the error log (gunicorn's
own lines, and the app's, in ``[log] format``). See docs/operating.md, "Logs".
"""

import json
import multiprocessing
import os

bind = "127.0.0.1:8000"
# gunicorn's usual advice; WEB_CONCURRENCY (read by gunicorn itself) overrides it.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request taking longer is killed: Tremplin's slowest pages answer in well under a second.
timeout = 60
# On HUP or stop, a worker finishes the request it serves for up to this long.
graceful_timeout = 30
# X-Forwarded-* are read by Tremplin itself ([web] proxies), not by gunicorn.
forwarded_allow_ips = "127.0.0.1"

accesslog = "-"
errorlog = "-"
loglevel = "info"
# Client, request line, status, size, duration in microseconds, request id, user agent.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(D)sus rid=%({x-request-id}o)s "%(a)s"'
if os.environ.get("TREMPLIN_LOG_FORMAT") == "json":
    access_log_format = json.dumps(
        {
            "time": "%(t)s",
            "client": "%(h)s",
            "request": "%(r)s",
            "status": "%(s)s",
            "bytes": "%(B)s",
            "duration_us": "%(D)s",
            "request_id": "%({x-request-id}o)s",
            "user_agent": "%(a)s",
        }
    )


def child_exit(server, worker):
    """Let prometheus_client forget a worker that exited (``PROMETHEUS_MULTIPROC_DIR``)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
