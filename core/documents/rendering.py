"""From a Jinja template to PDF bytes: the pages' templates and stylesheets, printed.

A document's template is found and rendered by the app's own Jinja environment, so it sees
what pages see: the region's overrides, every area's and plugin's templates (it may
``{% include %}`` a page's fragment), ``_()`` and ``url_for``. The documents area hands
that environment over when the app starts (``use_templates``), which keeps this module,
and the services that call it, free of Flask.

The HTML is printed by WeasyPrint with the site's stylesheet (``tremplin.css``), the print
rules of ``documents.css`` and the region's ``static/region.css``: a document looks like
the pages. WeasyPrint needs the Pango library of the system; it is imported only when a PDF
is made, so that an instance without Pango runs everything else, and its absence is told in
one sentence naming the package to install. Rendering fetches nothing from the network or
the disk: images go in as ``data:`` addresses.
"""

from __future__ import annotations

import datetime
import decimal
import hashlib
import json
import threading
import uuid
import weakref
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2
import pluggy

from .. import i18n, runtime

WEB_STYLESHEET = Path(__file__).resolve().parent.parent / "web" / "static" / "tremplin.css"
PRINT_STYLESHEET = Path(__file__).resolve().parent / "static" / "documents.css"
REGION_STYLESHEET = "region.css"
SYSTEM_PACKAGES = "libpango-1.0-0 libpangoft2-1.0-0"

# WeasyPrint does not say it is thread-safe (it shares Pango's and fontconfig's state):
# one PDF at a time per process, a tenth of a second each.
_printing = threading.Lock()
# The Jinja environment of each instance, known by its plugin manager (one per app).
_environments: weakref.WeakKeyDictionary[pluggy.PluginManager, jinja2.Environment] = (
    weakref.WeakKeyDictionary()
)


class PdfUnavailable(RuntimeError):
    """This machine cannot make PDFs: WeasyPrint or the system's Pango library is missing."""


def use_templates(environment: jinja2.Environment) -> None:
    """Render the current instance's documents with ``environment`` (the app's)."""
    _environments[runtime.current().plugins] = environment


def plain(context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` as JSON gives it back: dates and decimals become their text.

    A document is rendered from this form every time (its draft, then with its number), so
    that both renderings see the same values.
    """
    return json.loads(json.dumps(dict(context), default=_as_text))


def render_html(template: str, context: Mapping[str, Any], locale: str) -> str:
    """The HTML of ``template`` rendered with ``context`` in ``locale``."""
    try:
        environment = _environments[runtime.current().plugins]
    except KeyError:
        raise RuntimeError(
            "documents cannot be rendered before the app has started (tremplin.documents)"
        ) from None
    with i18n.using_locale(locale):
        return environment.get_template(template).render(**context)


def html_to_pdf(html: str) -> bytes:
    """Print ``html`` to PDF with the site's stylesheets; raise ``PdfUnavailable``."""
    weasyprint = _weasyprint()
    sources = [path.read_text(encoding="utf-8") for path in _stylesheets()]
    with _printing:
        fetcher = weasyprint.urls.URLFetcher(allowed_protocols={"data"})
        stylesheets = [weasyprint.CSS(string=css, url_fetcher=fetcher) for css in sources]
        document = weasyprint.HTML(string=html, url_fetcher=fetcher)
        return document.write_pdf(stylesheets=stylesheets)


def sha256(data: bytes) -> str:
    """The SHA-256 of ``data``, in hexadecimal."""
    return hashlib.sha256(data).hexdigest()


def _stylesheets() -> list[Path]:
    region_css = runtime.current().region.static_folder / REGION_STYLESHEET
    return [WEB_STYLESHEET, PRINT_STYLESHEET, *([region_css] if region_css.is_file() else [])]


def _weasyprint() -> Any:
    try:
        # Imported here, when a PDF is made: see the module's docstring.
        import weasyprint
        import weasyprint.urls
    except ImportError as error:
        raise PdfUnavailable(
            i18n._(
                "PDF documents need the Python package weasyprint: "
                "pip install 'weasyprint>=68' (%(error)s)",
                error=error,
            )
        ) from error
    except OSError as error:  # the library loader did not find Pango
        raise PdfUnavailable(
            i18n._(
                "PDF documents need the Pango library of the system: on Debian or Ubuntu, "
                "apt-get install %(packages)s (%(error)s)",
                packages=SYSTEM_PACKAGES,
                error=error,
            )
        ) from error
    return weasyprint


def _as_text(value: Any) -> str:
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    raise TypeError(
        f"a document's context holds texts, numbers, dates, decimals, lists and dicts, "
        f"not {type(value).__name__}"
    )
