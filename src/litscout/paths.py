"""Where litscout keeps things: env first, then the platform's conventions."""

from __future__ import annotations

import os
from pathlib import Path

APP = "litscout"


def home() -> Path:
    """Data directory: $LITSCOUT_HOME or the platform's user data dir."""
    env = os.environ.get("LITSCOUT_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def database() -> Path:
    return home() / "litscout.db"


def user_config_files() -> list[Path]:
    """Config files in the order they apply (later wins).

    With LITSCOUT_HOME set only `$LITSCOUT_HOME/config.toml` is read, so tests and
    throwaway homes are never affected by the real user config.
    """
    if os.environ.get("LITSCOUT_HOME"):
        return [home() / "config.toml"]
    import platformdirs

    return [Path(platformdirs.user_config_dir(APP, appauthor=False)) / "config.toml"]


def state_dir() -> Path:
    """Rate-limit state and locks: $LITSCOUT_STATE_DIR or the platform's user state dir.

    Per user account, not per LITSCOUT_HOME: the services' limits apply to everything this
    user runs, so two homes (a second config, a test run) must share one limiter.
    """
    env = os.environ.get("LITSCOUT_STATE_DIR")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_state_dir(APP, appauthor=False))
