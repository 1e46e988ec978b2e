"""dlc: a hackable MLIR-style deep-learning compiler written in Python on xDSL.

The Python entry points:

* :func:`parse` turns textual IR into a verified module;
* :func:`interpret` runs a function of a module with the numpy reference interpreter;
* :func:`compile` turns a function into native code callable on numpy arrays.
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


def compile(
    source: str | ModuleOp,
    target: str = "cpu",
    entry: str | None = None,
    **options: Any,
) -> Any:
    """Compile nn IR into a numpy callable; see :func:`dlc.compiler.compile`."""
    from dlc.compiler import compile as compile_nn

    return compile_nn(source, target, entry, **options)


__all__ = ["DiagnosticError", "compile", "interpret", "parse"]
