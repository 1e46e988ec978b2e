"""dlc: a hackable MLIR-style deep-learning compiler written in Python on xDSL.

The Python entry points:

* :func:`parse` turns textual IR into a verified module;
* :func:`interpret` runs a function of a module with the numpy reference interpreter.
"""

from __future__ import annotations

from typing import Any

from xdsl.dialects.builtin import ModuleOp

from dlc.context import make_context
from dlc.diagnostics import DiagnosticError
from dlc.parse import parse_module


def parse(text: str, filename: str = "<string>") -> ModuleOp:
    """Parse and verify ``text``; raise :class:`DiagnosticError` on any error."""
    return parse_module(make_context(), text, filename)


def interpret(module: ModuleOp, function: str, *inputs: Any) -> Any:
    """Run ``@function`` on numpy ``inputs`` with the reference interpreter.

    See :func:`dlc.interpreter.interpret`; imported here on first use, because the
    command-line tools that do not interpret should not pay for loading it.
    """
    from dlc.interpreter import interpret as run

    return run(module, function, *inputs)


__all__ = ["DiagnosticError", "interpret", "parse"]
