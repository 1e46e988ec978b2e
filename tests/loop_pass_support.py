"""Checks shared by the tests of the loop schedule passes.

A schedule pass must not change what a loop-level function computes. Each test
writes a function in destination-passing style, and :func:`check_preserved` runs
it four ways: interpreted before and after the passes (the reference interpreter
is the oracle), and compiled natively before and after. All four must agree.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import FuncOp
from xdsl.passes import PassPipeline

import dlc
from dlc.context import make_context
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.targets.cpu import JitModule, llvm_ir_text
from dlc.transforms.registry import all_passes

NumpyArray = np.ndarray[Any, Any]
Argument = NumpyArray | int


def apply_passes(text: str, pipeline: str) -> ModuleOp:
    """Parse ``text`` and run ``pipeline`` (``-p`` syntax) on it, verifying after."""
    module = dlc.parse(text)
    for pass_ in PassPipeline.parse_spec(all_passes(), pipeline).passes:
        pass_.apply(make_context(), module)
    module.verify()
    return module


def native(module: ModuleOp, name: str) -> Callable[..., None]:
    """JIT-compile a copy of a loop-level module: ``@name`` on arrays and ints."""
    lowered = module.clone()
    LoopToLLVMPass().apply(make_context(), lowered)
    jit = JitModule(llvm_ir_text(lowered))
    function = next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == name
    )
    arity = len(function.function_type.inputs)
    c_function = ctypes.CFUNCTYPE(None, *([ctypes.c_int64] * arity))(
        jit.function_address(name)
    )

    def call(*args: Argument) -> None:
        c_function(*(a.ctypes.data if isinstance(a, np.ndarray) else a for a in args))

    call.jit = jit  # type: ignore[attr-defined]
    return call


def _run(
    run: Callable[..., Any], args: Sequence[Argument], outputs: Sequence[int]
) -> list[NumpyArray]:
    """Call on copies of the output arrays (by position); return them."""
    copies: list[Argument] = [
        a.copy() if isinstance(a, np.ndarray) and i in outputs else a
        for i, a in enumerate(args)
    ]
    run(*copies)
    results: list[NumpyArray] = []
    for i in outputs:
        result = copies[i]
        assert isinstance(result, np.ndarray)
        results.append(result)
    return results


def check_preserved(
    text: str,
    pipeline: str,
    name: str,
    args: Sequence[Argument],
    outputs: Sequence[int],
    *,
    interpret_after: bool = True,
    rtol: float = 1e-6,
    atol: float = 1e-6,
    same_rounding: bool = False,
) -> ModuleOp:
    """Run ``@name`` before and after ``pipeline``, interpreted and compiled.

    ``outputs`` are the positions of the arrays the function writes. Every run
    must match the interpreted original. ``interpret_after=False`` skips the
    interpreter on the transformed module, for vector ops the interpreter does
    not run. ``same_rounding=True`` also requires the compiled results before and
    after to be bit for bit equal, for a pass that keeps every operation and its
    order (the interpreter rounds differently: it computes in double precision).
    Returns the transformed module, for checks of its form.
    """
    before = dlc.parse(text)
    after = apply_passes(text, pipeline)

    def interpret(module: ModuleOp) -> Callable[..., Any]:
        interpreter = make_interpreter(module)
        return lambda *a: call_with_buffers(interpreter, name, *a)  # pyright: ignore[reportUnknownLambdaType]

    expected = _run(interpret(before), args, outputs)
    runs = {
        "compiled before": native(before, name),
        "compiled after": native(after, name),
    }
    if interpret_after:
        runs["interpreted after"] = interpret(after)
    results = {what: _run(run, args, outputs) for what, run in runs.items()}
    for what, got in results.items():
        for value, want in zip(got, expected, strict=True):
            np.testing.assert_allclose(
                value, want, rtol=rtol, atol=atol, err_msg=f"{name}, {what}"
            )
    if same_rounding:
        pairs = zip(results["compiled after"], results["compiled before"], strict=True)
        for value, want in pairs:
            np.testing.assert_array_equal(value, want, err_msg=f"{name} rounds anew")
    return after


def ops_named(module: ModuleOp, op_name: str) -> int:
    """How many ops called ``op_name`` the module holds."""
    return sum(1 for op in module.walk() if op.name == op_name)
