"""`litscout config`: the settings in force as TOML; `config init` and `config set` edit the
user config file."""

from __future__ import annotations

import sys
from typing import Annotated, Any

import typer

from .. import __version__
from .common import FormatOpt, JsonOpt, command

config_app = typer.Typer(
    name="config",
    help="Show the settings in force (as TOML); create or edit your config file.",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
SHOW_FORMATS = ("auto", "toml", "table", "json", "jsonl")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
    app.command("paths", help="Alias of `config`: where litscout keeps things.")(show)


def _note(message: str) -> None:
    from ..render.output import note

    note(message)


@command
def show(fmt: FormatOpt = "toml", as_json: JsonOpt = False) -> None:
    """Show where litscout keeps things and the settings in force, as TOML (keys masked).

    Comments name the files and the source of every value not at its default; the output
    can be saved as a config file. --json gives the same as one JSON object.
    """
    from .. import config, config_file, paths
    from ..errors import UsageError

    fmt = "json" if as_json else fmt
    if fmt not in SHOW_FORMATS:
        known = fmt in ("csv", "bibtex")
        raise UsageError(
            f"--format {fmt} makes no sense here" if known else f"unknown format {fmt!r}",
            hint="use one of: toml, json, jsonl",
        )
    settings = config.load()
    files = [{"path": str(p), "exists": p.is_file()} for p in paths.user_config_files()]
    data: dict[str, Any] = {
        "version": __version__,
        "home": str(paths.home()),
        "database": str(paths.database()),
        "state": str(paths.state_dir()),
        "config_files": files,
        "settings": settings.public(),
        "overridden": settings.origin,
    }
    if fmt in ("json", "jsonl"):
        from ..render.output import Output

        Output(fmt).json(data)
        return
    keys = data["settings"]["keys"]
    header = [
        f"litscout {__version__}",
        f"home:      {data['home']}",
        f"database:  {data['database']}",
        f"state:     {data['state']}   (rate limits, shared by this user's processes)",
        *(
            f"config:    {item['path']}" + ("" if item["exists"] else "  (not present)")
            for item in files
        ),
        *(f"{name}: {shown or 'not set'}   (environment only)" for name, shown in keys.items()),
    ]
    sys.stdout.write(config_file.dump(settings, header))
    sys.stdout.flush()


@config_app.callback()
def root(ctx: typer.Context, fmt: FormatOpt = "toml", as_json: JsonOpt = False) -> None:
    """Show the settings in force as TOML (files, keys and sources as comments)."""
    if ctx.invoked_subcommand is None:
        show(fmt, as_json)


def _target() -> Any:
    from .. import paths

    return paths.user_config_files()[-1]


@config_app.command("init")
@command
def init(
    force: Annotated[
        bool, typer.Option("--force", help="Replace an existing config file.")
    ] = False,
) -> None:
    """Write a user config file with every setting commented out at its default."""
    from .. import config_file
    from ..errors import UsageError

    path = _target()
    if path.exists() and not force:
        raise UsageError(f"{path} already exists", hint="--force replaces it")
    _write(path, config_file.template())
    _note(f"Wrote {path}")


@config_app.command("set")
@command
def set_(
    key: Annotated[str, typer.Argument(help="section.key, e.g. search.limit.", metavar="KEY")],
    value: Annotated[str, typer.Argument(help="The new value, checked first.", metavar="VALUE")],
) -> None:
    """Set one setting in your config file (checked like the file is; comments kept)."""
    from .. import config_file

    section, name = config_file.parse_key(key)
    item = config_file.coerce(section, name, value)
    path = _target()
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
    except (OSError, UnicodeDecodeError) as exc:
        from ..errors import ConfigError

        raise ConfigError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    _write(path, config_file.set_value(text, section, name, item), check=True)
    _note(f"Set {section}.{name} = {config_file.value(item)} in {path}")


def _write(path: Any, text: str, check: bool = False) -> None:
    """Replace `path` in one step; with `check`, only once the new file loads cleanly."""
    import os
    import tempfile

    from .. import config
    from ..errors import ConfigError

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as out:
            out.write(text)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        if check:
            config.load(files=[config.Path(temp)], environ={})
        os.replace(temp, path)
    except BaseException:
        os.unlink(temp)
        raise
