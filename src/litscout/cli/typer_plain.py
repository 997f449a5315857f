"""Plain coercion for plain command-line parameters (start-up time).

Recent typer releases coerce every parameter through a pydantic TypeAdapter. Importing
pydantic and building the adapters costs about 50 ms on every run: a third of a cached
search (benchmarks/RESULTS.md). litscout's parameters are str, int, float (with or without
a min/max), bool, Path (no checks on disk) and lists of those; for them we coerce directly,
with click's rules and messages, and leave every other annotation, and typer releases
without this machinery, to typer.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args, get_origin

SCALARS: dict[Any, str] = {
    str: "text", int: "integer", float: "float", bool: "boolean", Path: "path"
}  # fmt: skip
# Path options we convert ourselves only when typer would not check anything on disk.
PLAIN_PATH = {
    "exists": False, "resolve_path": False, "allow_dash": False, "writable": False,
    "file_okay": True, "dir_okay": True, "path_type": None,
}  # fmt: skip
TRUE = frozenset({"1", "true", "t", "yes", "y", "on"})
FALSE = frozenset({"0", "false", "f", "no", "n", "off"})


def _plain_kind(annotation: Any) -> tuple[type, bool] | None:
    """(item type, is a list) for annotations we coerce ourselves, else None."""
    if annotation in SCALARS:
        return annotation, False
    if get_origin(annotation) is list:
        args = get_args(annotation)
        if len(args) == 1 and args[0] in SCALARS:
            return args[0], True
    return None


def _convert(kind: type, value: Any) -> Any:
    if kind is str:
        return value if isinstance(value, str) else str(value)
    if kind is Path:
        return value if isinstance(value, Path) else Path(str(value))
    if kind is bool:
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE or word in FALSE:
            return word in TRUE
        raise ValueError(value)
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(value)
    if kind is int and isinstance(value, float) and not value.is_integer():
        raise ValueError(value)
    return kind(value.strip() if isinstance(value, str) else value)


def install() -> bool:
    """Teach typer's parameters plain coercion; False (and no change) if typer differs."""
    try:
        from typer import core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except ImportError:
        return False
    param_class = getattr(core, "_TyperParameter", None)
    original = getattr(param_class, "get_runtime_param", None)
    if param_class is None or original is None or getattr(original, "plain", False):
        return False

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):
        kind: type = str
        is_list: bool = False

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            items = list(value) if self.is_list else [value]
            try:
                out = [_convert(self.kind, item) for item in items]
            except (TypeError, ValueError):
                bad = next(i for i in items if _fails(self.kind, i))
                raise BadParameter(
                    f"{bad!r} is not a valid {SCALARS[self.kind]}.", ctx=ctx, param=param
                ) from None
            out = [self._in_range(item, param, ctx) for item in out]
            return out if self.is_list else out[0]

        def _in_range(self, item: Any, param: Any, ctx: Any) -> Any:
            low = getattr(self.parameter_info, "min", None)
            high = getattr(self.parameter_info, "max", None)
            if low is None and high is None:
                return item
            if getattr(self.parameter_info, "clamp", False):
                item = max(item, low) if low is not None else item
                return min(item, high) if high is not None else item
            if (low is not None and item < low) or (high is not None and item > high):
                bounds = (
                    f"{'' if low is None else f'{low}<='}x{'' if high is None else f'<={high}'}"
                )
                raise BadParameter(f"{item} is not in the range {bounds}.", ctx=ctx, param=param)
            return item

    def plain(descriptor: Any) -> tuple[type, bool] | None:
        info = getattr(descriptor, "parameter_info", None)
        found = _plain_kind(getattr(descriptor, "annotation", None))
        if found is None or info is None or getattr(descriptor, "file_annotation", None):
            return None
        if any(getattr(info, name, None) is not None for name in ("parser", "click_type")):
            return None
        ranged = getattr(info, "min", None) is not None or getattr(info, "max", None) is not None
        if ranged and found[0] not in (int, float):
            return None
        if found[0] is Path and any(
            getattr(info, name, default) != default for name, default in PLAIN_PATH.items()
        ):
            return None
        return found

    def get_runtime_param(self: Any) -> Any:
        if getattr(self, "_runtime_param", None) is None:
            descriptor = getattr(self, "type_descriptor", None)
            found = plain(descriptor)
            if found is not None:
                self._runtime_param = PlainRuntimeParam(
                    parameter_info=descriptor.parameter_info,  # type: ignore[union-attr]
                    annotation=descriptor.annotation,  # type: ignore[union-attr]
                    kind=found[0],
                    is_list=found[1],
                )
        return original(self)

    get_runtime_param.plain = True  # type: ignore[attr-defined]
    param_class.get_runtime_param = get_runtime_param
    return True


def _fails(kind: type, value: Any) -> bool:
    try:
        _convert(kind, value)
    except (TypeError, ValueError):
        return True
    return False
