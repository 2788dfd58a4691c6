"""A region: a folder with ``tremplin.toml``, its data, texts and overrides.

The file is validated with marshmallow when the instance starts; environment variables
override what deployments change without editing the folder.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from .i18n import _

CONFIG_FILE = "tremplin.toml"
DEFAULT_DATABASE_URL = "sqlite:///instance/tremplin.db"
DEFAULT_QUEUE_URL = "sqlite:///instance/queue.db"
DEFAULT_FILES_FOLDER = "instance/files"
SECRET_KEY_FILE = "instance/secret_key"
TEXTS_FOLDER = "texts"
STATIC_FOLDER = "static"
# A text's name and locale become part of a file name: nothing that could leave texts/.
TEXT_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

ENVIRONMENT_OVERRIDES = {
    "TREMPLIN_DATABASE_URL": "database_url",
    "TREMPLIN_QUEUE_URL": "queue_url",
    "TREMPLIN_SECRET_KEY": "secret_key",
    "TREMPLIN_PLUGINS": "plugins",
    "TREMPLIN_SMTP_PASSWORD": "smtp_password",
    "TREMPLIN_FILES_DIR": "files_folder",
}
# Deployment settings of tremplin.toml that a variable replaces before validation, so staging
# and production share one region folder: ``{variable: (table, key)}``.
FILE_ENVIRONMENT = {
    "TREMPLIN_BASE_URL": ("web", "base_url"),
    "TREMPLIN_PROXIES": ("web", "proxies"),
    "TREMPLIN_METRICS_TOKEN": ("web", "metrics_token"),
    "TREMPLIN_LOG_FORMAT": ("log", "format"),
    "TREMPLIN_LOG_LEVEL": ("log", "level"),
    "TREMPLIN_MAIL_BACKEND": ("mail", "backend"),
    "TREMPLIN_MAIL_SENDER": ("mail", "sender"),
    "TREMPLIN_SMTP_HOST": ("mail", "host"),
    "TREMPLIN_SMTP_PORT": ("mail", "port"),
    "TREMPLIN_SMTP_USERNAME": ("mail", "username"),
    "TREMPLIN_SMTP_USE_TLS": ("mail", "use_tls"),
    "TREMPLIN_SMTP_USE_SSL": ("mail", "use_ssl"),
}
FILE_KEYS = {
    "base_url": "web.base_url",
    "proxies": "web.proxies",
    "database_url": "database.url",
    "queue_url": "queue.url",
    "plugins": "plugins.enabled",
    "files_folder": "storage.files",
}


class ConfigError(Exception):
    """The region's configuration is missing or invalid; says where and why, in one line."""

    def __init__(self, file: Path | str, key: str | None, reason: str):
        self.file, self.key, self.reason = str(file), key, reason
        where = f"{self.file}: {key}" if key else self.file
        super().__init__(f"{where}: {reason}")


class IdentitySchema(Schema):
    """``[region]``: who the instance serves."""

    code = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9][a-z0-9-]*$"))
    name = fields.String(required=True, validate=validate.Length(min=1))
    programme = fields.String(load_default=None)
    locales = fields.List(
        fields.String(validate=validate.OneOf(["fr", "en"])),
        load_default=lambda: ["fr", "en"],
        validate=validate.Length(min=1),
    )
    default_locale = fields.String(load_default="fr")
    timezone = fields.String(load_default="Europe/Paris")
    accessibility = fields.String(
        load_default="partial", validate=validate.OneOf(["full", "partial", "none"])
    )

    @validates_schema
    def _default_locale_is_offered(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["default_locale"] not in data["locales"]:
            raise ValidationError(_("must be one of locales"), "default_locale")


class UrlSchema(Schema):
    """``[database]`` and ``[queue]``: where the instance keeps things."""

    url = fields.String(required=True, validate=validate.Length(min=1))


class PluginsSchema(Schema):
    """``[plugins]``: which plugins are enabled, in order, and their settings blocks."""

    class Meta:
        unknown = "include"

    enabled = fields.List(fields.String(), load_default=list)

    @validates_schema(pass_original=True)
    def _blocks_are_tables(self, data: dict[str, Any], original: Any, **kwargs: Any) -> None:
        for key, value in original.items():
            if key != "enabled" and not isinstance(value, dict):
                raise ValidationError(_("must be a table [plugins.%(name)s]", name=key), key)


class WebSchema(Schema):
    """``[web]``: how the instance is reached from outside (links in emails)."""

    base_url = fields.Url(
        load_default="http://127.0.0.1:5000", require_tld=False, schemes={"http", "https"}
    )
    # How many reverse proxies stand in front of the instance (their X-Forwarded-* headers
    # are trusted that many hops deep): per-address sign-in limits need the real address.
    proxies = fields.Integer(load_default=0, validate=validate.Range(0, 5))
    # Whether people reach the instance over HTTPS (default: when base_url is https://):
    # the session cookie is then Secure and responses carry HSTS (docs/operating.md).
    https = fields.Boolean(load_default=None)
    # A bearer token that lets a Prometheus server read /-/metrics (admins need none).
    metrics_token = fields.String(load_default=None, validate=validate.Length(min=16))


class MailSchema(Schema):
    """``[mail]``: who emails come from and through which server."""

    sender = fields.String(load_default="Tremplin <ne-pas-repondre@tremplin.invalid>")
    backend = fields.String(
        load_default="smtp", validate=validate.OneOf(["smtp", "console", "locmem", "dummy"])
    )
    host = fields.String(load_default="127.0.0.1")
    port = fields.Integer(load_default=25, validate=validate.Range(1, 65535))
    username = fields.String(load_default=None)
    use_tls = fields.Boolean(load_default=False)
    use_ssl = fields.Boolean(load_default=False)
    timeout = fields.Integer(load_default=10, validate=validate.Range(1, 300))


class StorageSchema(Schema):
    """``[storage]``: where files kept outside the database live (``tremplin.storage``)."""

    files = fields.String(load_default=DEFAULT_FILES_FOLDER, validate=validate.Length(min=1))


class LogSchema(Schema):
    """``[log]``: how the app and the worker write their log lines (``tremplin.logs``)."""

    format = fields.String(load_default="text", validate=validate.OneOf(["text", "json"]))
    level = fields.String(
        load_default="INFO", validate=validate.OneOf(["DEBUG", "INFO", "WARNING", "ERROR"])
    )


class PrivacySchema(Schema):
    """``[privacy]``: who answers for personal data, named in the register of processing."""

    controller = fields.String(load_default=None, validate=validate.Length(min=1))
    dpo = fields.String(load_default=None, validate=validate.Length(min=1))


class RegionFileSchema(Schema):
    """The whole ``tremplin.toml``."""

    class Meta:
        unknown = RAISE

    region = fields.Nested(IdentitySchema, required=True)
    database = fields.Nested(UrlSchema, load_default=lambda: {"url": DEFAULT_DATABASE_URL})
    queue = fields.Nested(UrlSchema, load_default=lambda: {"url": DEFAULT_QUEUE_URL})
    plugins = fields.Nested(PluginsSchema, load_default=lambda: {"enabled": []})
    web = fields.Nested(WebSchema, load_default=lambda: WebSchema().load({}))
    mail = fields.Nested(MailSchema, load_default=lambda: MailSchema().load({}))
    storage = fields.Nested(StorageSchema, load_default=lambda: StorageSchema().load({}))
    privacy = fields.Nested(PrivacySchema, load_default=lambda: PrivacySchema().load({}))
    log = fields.Nested(LogSchema, load_default=lambda: LogSchema().load({}))


@dataclass(frozen=True)
class Region:
    """A validated region configuration, environment overrides applied."""

    path: Path
    code: str
    name: str
    programme: str | None
    locales: tuple[str, ...]
    default_locale: str
    timezone: str
    accessibility: str
    database_url: str = field(repr=False)
    queue_url: str = field(repr=False)
    secret_key: str = field(repr=False)
    plugins: tuple[str, ...]
    plugin_settings: Mapping[str, Mapping[str, Any]] = field(repr=False)
    base_url: str = "http://127.0.0.1:5000"
    # Whether ``[web] base_url`` or ``TREMPLIN_BASE_URL`` gives the public address; when
    # neither does, ``tremplin serve`` builds links on the address it serves.
    base_url_given: bool = False
    proxies: int = 0
    https: bool = False
    mail: Mapping[str, Any] = field(default_factory=dict, repr=False)
    # Files kept outside the database (documents' PDFs...): see ``tremplin.storage``.
    files_folder: Path = Path(DEFAULT_FILES_FOLDER)
    # The data controller and the data protection officer's contact (``[privacy]``).
    controller: str | None = None
    dpo: str | None = None
    metrics_token: str | None = field(default=None, repr=False)
    # ``{"format": "text" or "json", "level": "INFO"...}`` (``[log]``).
    log: Mapping[str, str] = field(default_factory=lambda: {"format": "text", "level": "INFO"})
    from_environment: Mapping[str, str] = field(default_factory=dict, repr=False)

    @property
    def config_file(self) -> Path:
        """The ``tremplin.toml`` this region was read from."""
        return self.path / CONFIG_FILE

    def origin(self, setting: str) -> tuple[str, str | None]:
        """Where ``setting`` (``database_url``...) came from: ``(file or variable, key)``."""
        if setting in self.from_environment:
            return self.from_environment[setting], None
        return str(self.config_file), FILE_KEYS.get(setting)

    @property
    def static_folder(self) -> Path:
        """``static/``: the region's stylesheet, logo and images, served as they are."""
        return self.path / STATIC_FOLDER

    def text(self, name: str, locale: str | None = None) -> str | None:
        """The Markdown of ``texts/<name>.<locale>.md``, else of the default locale's file.

        ``locale`` defaults to the region's default locale (``en_GB`` also finds ``en``).
        ``None`` when the region wrote neither (pages then show their generic text), or
        when ``name`` is not a plain name such as ``home``.
        """
        if not TEXT_NAME.match(name):
            return None
        asked = locale or self.default_locale
        language = asked.replace("-", "_").split("_")[0]  # en_GB: en
        for candidate in dict.fromkeys([asked, language, self.default_locale]):
            if not TEXT_NAME.match(candidate):
                continue
            path = self.path / TEXTS_FOLDER / f"{name}.{candidate}.md"
            if path.is_file():
                return path.read_text(encoding="utf-8-sig")
        return None


def find_region_path(path: str | os.PathLike | None, env: Mapping[str, str]) -> Path:
    """The region folder: ``path``, else ``TREMPLIN_REGION``, else the current folder."""
    chosen = path or env.get("TREMPLIN_REGION") or "."
    folder = Path(chosen).resolve()
    if not (folder / CONFIG_FILE).is_file():
        raise ConfigError(
            folder / CONFIG_FILE,
            None,
            _("no region here (give --region FOLDER or set TREMPLIN_REGION)"),
        )
    return folder


def load_region(
    path: str | os.PathLike | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Region:
    """Read and validate a region folder; ``overrides`` win over the environment.

    ``overrides`` may set ``database_url``, ``queue_url``, ``secret_key``, ``files_folder``,
    ``plugins`` (a list) and ``plugin_settings`` (``{name: {key: value}}`` merged over the file).
    Raise ``ConfigError`` with the file, the key and the reason.
    """
    env = os.environ if env is None else env
    folder = find_region_path(path, env)
    config_file = folder / CONFIG_FILE
    data, raw = _validated(config_file, env)
    values = _environment_values(env)
    from_environment = {
        key: variable
        for variable, key in ENVIRONMENT_OVERRIDES.items()
        if key in values and key not in (overrides or {})
    }
    for variable, (table, key) in FILE_ENVIRONMENT.items():
        if env.get(variable):
            from_environment[key if table == "web" else f"{table}.{key}"] = variable
    values.update(overrides or {})
    plugin_blocks = {k: v for k, v in data["plugins"].items() if k != "enabled"}
    for name, block in (values.get("plugin_settings") or {}).items():
        plugin_blocks[name] = {**plugin_blocks.get(name, {}), **block}
    identity = data["region"]
    return Region(
        path=folder,
        code=identity["code"],
        name=identity["name"],
        programme=identity["programme"],
        locales=tuple(identity["locales"]),
        default_locale=identity["default_locale"],
        timezone=identity["timezone"],
        accessibility=identity["accessibility"],
        database_url=values.get("database_url") or data["database"]["url"],
        queue_url=values.get("queue_url") or data["queue"]["url"],
        secret_key=values.get("secret_key") or _instance_secret_key(folder),
        plugins=tuple(values.get("plugins", data["plugins"]["enabled"])),
        plugin_settings=plugin_blocks,
        base_url=data["web"]["base_url"].rstrip("/"),
        base_url_given="base_url" in raw.get("web", {}),
        proxies=data["web"]["proxies"],
        https=_served_over_https(data["web"]),
        mail={**data["mail"], "password": values.get("smtp_password")},
        # A relative folder is taken from the region folder, as a SQLite path is.
        files_folder=folder / (values.get("files_folder") or data["storage"]["files"]),
        metrics_token=data["web"]["metrics_token"],
        log=data["log"],
        controller=data["privacy"]["controller"],
        dpo=data["privacy"]["dpo"],
        from_environment=from_environment,
    )


def validate_settings(region: Region, name: str, schema: type[Schema]) -> dict[str, Any]:
    """The ``[plugins.NAME]`` block of ``region`` loaded with ``schema``, or ConfigError."""
    try:
        return schema().load(dict(region.plugin_settings.get(name, {})))
    except ValidationError as error:
        raise ConfigError(
            region.config_file, *first_error(error.messages, f"plugins.{name}")
        ) from error
    except TypeError as error:
        raise ConfigError(region.config_file, f"plugins.{name}", str(error)) from error


def first_error(messages: Any, prefix: str = "") -> tuple[str, str]:
    """The dotted key and the message of the first error in marshmallow's messages."""
    if isinstance(messages, dict):
        key, inner = next(iter(messages.items()))
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if key == "_schema":
            dotted = prefix or CONFIG_FILE
        return first_error(inner, dotted)
    if isinstance(messages, list) and messages:
        return first_error(messages[0], prefix)
    return prefix, str(messages).rstrip(".").lower()


def _validated(config_file: Path, env: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The file's settings, validated, and the file as written (variables applied)."""
    try:
        raw = tomllib.loads(config_file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            config_file, None, _("not valid TOML (%(error)s)", error=error)
        ) from error
    replaced = {}
    for variable, (table, key) in FILE_ENVIRONMENT.items():
        if env.get(variable) and isinstance(raw.setdefault(table, {}), dict):
            raw[table][key] = env[variable]
            replaced[f"{table}.{key}"] = variable
    try:
        data = RegionFileSchema().load(raw)
    except ValidationError as error:
        key, reason = first_error(error.messages)
        if key in replaced:  # the value at fault is the variable's, not the file's
            raise ConfigError(replaced[key], None, reason) from error
        raise ConfigError(config_file, key, reason) from error
    duplicates = {n for n in data["plugins"]["enabled"] if data["plugins"]["enabled"].count(n) > 1}
    if duplicates:
        reason = _("%(name)r is listed twice", name=sorted(duplicates)[0])
        raise ConfigError(config_file, "plugins.enabled", reason)
    return data, raw


def _environment_values(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for variable, key in ENVIRONMENT_OVERRIDES.items():
        # An empty TREMPLIN_PLUGINS means "no plugin"; other empty variables mean "unset".
        if env.get(variable) or (key == "plugins" and variable in env):
            values[key] = env[variable]
    if "plugins" in values:
        values["plugins"] = [name.strip() for name in values["plugins"].split(",") if name.strip()]
    return values


def _served_over_https(web: Mapping[str, Any]) -> bool:
    if web["https"] is not None:
        return web["https"]
    return web["base_url"].startswith("https://")


def _instance_secret_key(folder: Path) -> str:
    """A random key kept in the instance folder, for instances run without one."""
    key_file = folder / SECRET_KEY_FILE
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        # Written whole to a private file, then linked into place: several workers starting
        # at once all end up reading the one key that won, never a half-written file.
        draft = key_file.with_name(f".{key_file.name}.{secrets.token_hex(8)}")
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_hex(32))
        with contextlib.suppress(FileExistsError):
            os.link(draft, key_file)
        draft.unlink()
    return key_file.read_text(encoding="utf-8").strip()
