"""Pages every instance has: home, accessibility statement, error pages."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, render_template, request, send_from_directory
from peewee import OperationalError
from werkzeug.exceptions import HTTPException

from .. import pluginmanager
from ..i18n import _
from .access import current_account, login_required

blueprint = Blueprint(
    "web",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/web",
)


@blueprint.get("/")
def home():
    """The region's home page."""
    return render_template("web/home.html")


@blueprint.get("/tableau-de-bord")
@login_required
def dashboard():
    """The signed-in user's dashboard: the panels areas and plugins offer them."""
    manager = current_app.extensions["tremplin"].runtime.plugins
    panels = pluginmanager.Hooks(manager).dashboard_panels(user=current_account())
    return render_template("web/dashboard.html", panels=panels)


@blueprint.get("/accessibilite")
def accessibility():
    """The accessibility statement (RGAA), linked from every page."""
    return render_template("web/accessibility.html")


@blueprint.get("/region/<path:filename>")
def region_static(filename):
    """A file of the region folder's ``static/`` (stylesheet, logo); 404 for anything else."""
    folder = current_app.extensions["tremplin"].runtime.region.static_folder
    # Joined safely: a path that would leave static/, or a missing file, is a 404.
    return send_from_directory(folder, filename)


@blueprint.app_errorhandler(HTTPException)
def http_error(error: HTTPException):
    """A translated page for 404, 403, 405... in the site's layout; JSON under ``/api/``."""
    if request.path.startswith("/api/"):
        return current_app.extensions["tremplin"].api.handle_http_exception(error)
    titles = {
        403: _("You are not allowed to see this page"),
        404: _("Page not found"),
        405: _("This action is not possible here"),
    }
    title = titles.get(error.code or 500, _("Something went wrong"))
    return render_template("web/error.html", title=title, code=error.code), error.code


@blueprint.app_errorhandler(OperationalError)
def database_unavailable(_error: OperationalError):
    """A 503 page when the database does not answer, so proxies and people know to retry."""
    if request.path.startswith("/api/"):
        return jsonify(code=503, status="Service Unavailable"), 503
    title = _("The service is temporarily unavailable; please try again in a few minutes")
    return render_template("web/error.html", title=title, code=503), 503


@blueprint.app_errorhandler(500)
def server_error(_error: Exception):
    """A translated page for unexpected errors, without any technical detail."""
    if request.path.startswith("/api/"):
        return jsonify(code=500, status="Internal Server Error"), 500
    title = _("Something went wrong on our side")
    return render_template("web/error.html", title=title, code=500), 500
