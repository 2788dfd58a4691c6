"""The access and portability export: a ZIP of every plugin's ``personal_data`` answer.

It holds ``donnees.json`` (everything, machine-readable: GDPR art. 20), one JSON file per
section, and ``LISEZMOI.html``, a page in the person's language that says what each file
holds. The person downloads it through a link that works once and expires
(``export_link_hours``); the file is deleted once downloaded, or by the nightly purge.
"""

from __future__ import annotations

import datetime
import html
import io
import json
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from tremplin import clock, runtime, storage
from tremplin.auth.models import Account
from tremplin.db import database
from tremplin.errors import NotFound
from tremplin.i18n import DEFAULT_LOCALE, get_locale, using_locale
from tremplin.text import normalise

from . import plugin
from .i18n import _
from .models import ExportLink, Request
from .tokens import digest, new_secret

ALL_DATA = "donnees.json"
README = "LISEZMOI.html"


@dataclass(frozen=True)
class Download:
    """A ZIP ready to be sent: its file name and bytes."""

    file_name: str
    data: bytes


def sections_of(person: Account) -> dict[str, Any]:
    """Every enabled area's and plugin's ``personal_data`` answer, by section title."""
    sections: dict[str, Any] = {}
    for answer in runtime.hooks().personal_data(person=person):
        sections.update(answer)
    return sections


def build(person: Account) -> bytes:
    """The ZIP of ``person``'s data, its readme in their language."""
    with using_locale(person.locale or DEFAULT_LOCALE):
        sections = sections_of(person)
        exported_at = clock.now().replace(tzinfo=datetime.UTC).isoformat()
        files = {_file_name(number, title): data for number, (title, data) in _numbered(sections)}
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(
                ALL_DATA,
                _json(
                    {
                        "exported_at": exported_at,
                        "instance": runtime.current().region.name,
                        "sections": sections,
                    }
                ),
            )
            for name, data in files.items():
                archive.writestr(name, _json(data))
            archive.writestr(README, _readme(sections, files, exported_at))
    return buffer.getvalue()


def create_link(request: Request, person: Account) -> str:
    """Store the ZIP of ``person`` for ``request``; return the secret of its download link."""
    secret = new_secret()
    key = storage.put(plugin.name, build(person))
    hours = plugin.settings()["export_link_hours"]
    ExportLink.create(
        request=request.id,
        token=digest(secret),
        file_key=key,
        expires_at=clock.now() + datetime.timedelta(hours=hours),
    )
    return secret


def download(secret: str) -> Download:
    """The ZIP behind a link, once: the link is spent and the file deleted.

    ``NotFound`` for an unknown, used or expired link.
    """
    moment = clock.now()
    with database.atomic():
        link = ExportLink.get_or_none(ExportLink.token == digest(secret))
        gone = NotFound(_("This link is unknown, already used or expired."))
        if link is None or link.used_at is not None or link.expires_at <= moment:
            raise gone
        spent = (
            ExportLink.update(used_at=moment, file_key=None)
            .where(ExportLink.id == link.id, ExportLink.used_at.is_null())
            .execute()
        )
        if not spent:
            raise gone
        try:
            data = storage.get(link.file_key)
        except storage.MissingFile:
            raise gone from None
    storage.delete(link.file_key)
    return Download(f"mes-donnees-{link.request_id}.zip", data)


def purge(moment: datetime.datetime) -> int:
    """Delete the files of expired links; return how many."""
    expired = list(
        ExportLink.select().where(
            ExportLink.file_key.is_null(False), ExportLink.expires_at <= moment
        )
    )
    ExportLink.update(file_key=None).where(
        ExportLink.id.in_([link.id for link in expired])
    ).execute()
    for link in expired:
        storage.delete(link.file_key)
    return len(expired)


def _numbered(sections: dict[str, Any]):
    return enumerate(sections.items(), start=1)


def _file_name(number: int, title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise(title)).strip("-") or "section"
    return f"{number:02d}-{slug[:60]}.json"


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain)


def _plain(value: object) -> object:
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)


def _readme(sections: dict[str, Any], files: dict[str, Any], exported_at: str) -> str:
    """The page that explains each file, in the current locale."""
    text = {
        "title": _("Your personal data"),
        "exported": _(
            "Exported on %(moment)s from %(instance)s.",
            moment=exported_at,
            instance=runtime.current().region.name,
        ),
        "intro": _(
            "This archive holds everything the network keeps about you (GDPR article 15), "
            "in JSON, a format other services can read (article 20)."
        ),
        "files": _("Files"),
        "file": _("File"),
        "holds": _("What it holds"),
        "entries": _("Entries"),
        "all": _("Every section below in one file, for another service to import."),
        "outro": _(
            "Dates are in ISO 8601 (year-month-day), moments in UTC with their offset. To "
            "have something corrected or erased, file a request from your account or write "
            "to the data protection officer."
        ),
    }
    e = {key: html.escape(value) for key, value in text.items()}
    rows = "\n".join(
        f"<tr><td><code>{html.escape(name)}</code></td><td>{html.escape(title)}</td>"
        f"<td>{_count(data)}</td></tr>"
        for (name, data), title in zip(files.items(), sections, strict=True)
    )
    return f"""<!DOCTYPE html>
<html lang="{html.escape(get_locale())}">
<head><meta charset="utf-8"><title>{e["title"]}</title></head>
<body>
<h1>{e["title"]}</h1>
<p>{e["exported"]}</p>
<p>{e["intro"]}</p>
<h2>{e["files"]}</h2>
<table>
<thead><tr><th>{e["file"]}</th><th>{e["holds"]}</th><th>{e["entries"]}</th></tr></thead>
<tbody>
<tr><td><code>{ALL_DATA}</code></td><td>{e["all"]}</td><td>{len(sections)}</td></tr>
{rows}
</tbody>
</table>
<p>{e["outro"]}</p>
</body>
</html>
"""


def _count(data: Any) -> int:
    return len(data) if isinstance(data, list | dict) else 1
