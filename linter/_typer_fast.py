"""Start-up: keep typer from importing pydantic to convert plain options.

typer >= 0.2x converts every option value through a pydantic ``TypeAdapter``: the first command
line with an option imports pydantic (and asyncio through it) and builds one adapter per option,
about 0.1-0.15 s, more than the whole check of a small template. slint's options are plain
``str``, ``int``, ``bool`` and ``list[str]``; for exactly those this converts the value itself
(same results, same ``BadParameter`` usage errors) and leaves everything else (enums, paths,
files, custom parsers, ranges) to typer.

It touches typer's internals, so it checks that they look as expected and otherwise does
nothing: a typer that changed them only costs the start-up time again.
"""

from __future__ import annotations

from typing import Any

_BOOL = {"1": True, "true": True, "t": True, "yes": True, "y": True, "on": True,
         "0": False, "false": False, "f": False, "no": False, "n": False, "off": False}


def install() -> bool:
    try:
        from dataclasses import dataclass
        from typing import List, get_args, get_origin

        import typer.core as core
        from typer._click.exceptions import BadParameter
        from typer._coercion import RuntimeParam
    except Exception:  # pragma: no cover - another typer
        return False
    original = getattr(core, "build_runtime_param", None)
    if original is None or getattr(original, "_slint_fast", False):
        return False

    def _str(value: Any) -> str:
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    @dataclass(frozen=True)
    class PlainRuntimeParam(RuntimeParam):  # type: ignore[misc]
        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            ann = self.annotation
            if ann is str:
                return _str(value)
            if ann is bool:
                if isinstance(value, bool):
                    return value
                b = _BOOL.get(_str(value).strip().lower())
                if b is None:
                    raise BadParameter(f"{value!r} is not a valid boolean.", ctx=ctx, param=param)
                return b
            if ann is int:
                if isinstance(value, int) and not isinstance(value, bool):
                    return value
                try:
                    return int(_str(value).strip())
                except ValueError:
                    raise BadParameter(f"{value!r} is not a valid integer.", ctx=ctx,
                                       param=param) from None
            # list[str]
            return [_str(v) for v in value]

    def _plain(descriptor: Any) -> bool:
        ann = descriptor.annotation
        info = descriptor.parameter_info
        if descriptor.file_annotation is not None or getattr(info, "parser", None) is not None:
            return False
        if getattr(info, "click_type", None) is not None:
            return False
        if getattr(info, "min", None) is not None or getattr(info, "max", None) is not None:
            return False
        if ann in (str, int, bool):
            return True
        return get_origin(ann) in (list, List) and get_args(ann) == (str,)

    def build_runtime_param(descriptor: Any) -> Any:
        try:
            if _plain(descriptor):
                return PlainRuntimeParam(parameter_info=descriptor.parameter_info,
                                         annotation=descriptor.annotation)
        except Exception:  # pragma: no cover - unexpected descriptor shape
            pass
        return original(descriptor)

    build_runtime_param._slint_fast = True  # type: ignore[attr-defined]
    core.build_runtime_param = build_runtime_param
    return True
