"""loop-bounds-check: out-of-bounds accesses trap, in-bounds code is unchanged.

A trap aborts the process, so every compiled call that might trap runs in a forked
child (:func:`run_in_child`): the test sees the child's exit status and its stderr,
and a check that trips cannot take the whole test run down with it.
"""

from __future__ import annotations

import ctypes
import faulthandler
import os
import signal
import subprocess
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from xdsl.dialects.builtin import IntegerAttr, i64
from xdsl.utils.exceptions import InterpretationError, VerifyException

import dlc
from dlc.compiler import CompiledFunction
from dlc.context import make_context
from dlc.dialects.loop import CheckIndexOp
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.parse import parse_module
from dlc.targets.cpu import JitModule, llvm_ir_text
from dlc.transforms.loop_bounds_check import LoopBoundsCheckPass
from tests.example_models import EXAMPLE_MODELS, Example
from tests.strategies import Program, programs

Array = np.ndarray[Any, Any]

ROOT = Path(__file__).resolve().parent.parent


def run_in_child(call: Callable[[], object]) -> tuple[int, str]:
    """Run ``call`` in a forked child: its exit code (-6 for SIGABRT) and stderr."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read)
        os.dup2(write, 2)
        faulthandler.disable()  # the abort is expected: no Python stack dump
        try:
            call()
        except BaseException:
            os.write(2, traceback.format_exc().encode())
            os._exit(3)
        os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        stderr = pipe.read()
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), stderr


class CheckedLoopFunction:
    """A loop-level ``@name(memref, ...)`` compiled with bounds checks."""

    def __init__(self, text: str, name: str):
        ctx = make_context()
        module = parse_module(ctx, text, "oob.mlir")
        LoopBoundsCheckPass().apply(ctx, module)
        LoopToLLVMPass().apply(ctx, module)
        self.jit = JitModule(llvm_ir_text(module))
        self.address = self.jit.function_address(name)

    def __call__(self, *arrays: Array) -> None:
        pointers = [ctypes.c_void_p] * len(arrays)
        ctypes.CFUNCTYPE(None, *pointers)(self.address)(
            *(a.ctypes.data for a in arrays)
        )


COPY = """func.func @copy(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %cN = arith.constant N : index
  loop.for %i = %c0 to %cN step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    memref.store %v, %y[%i] : memref<4xf32>
  }
  func.return
}
"""
"""Copies x[0 .. N) into y; N = 5 is one past the end."""

SHIFT = """func.func @shift(%x: memref<4xf32>, %y: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  loop.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %x[%i] : memref<4xf32>
    %j = arith.subi %i, %c1 : index
    memref.store %v, %y[%j] : memref<4xf32>
  }
  func.return
}
"""
"""Writes y[i - 1], which is y[-1] for i = 0."""

TAIL = """func.func @tail(%x: memref<2x20xf32>, %y: memref<2x8xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c16 = arith.constant 16 : index
  %v = loop.vload %x[%c1, %c16] : memref<2x20xf32>, vector<8xf32>
  loop.vstore %v, %y[%c1, %c0] : memref<2x8xf32>, vector<8xf32>
  func.return
}
"""
"""Loads 8 lanes from column 16 of a 20-wide row: 4 lanes past its end."""


def test_a_load_past_the_end_aborts_and_names_the_access():
    copy = CheckedLoopFunction(COPY.replace("N", "5"), "copy")
    x, y = np.arange(4, dtype=np.float32), np.zeros(4, np.float32)
    status, stderr = run_in_child(lambda: copy(x, y))
    assert status == -signal.SIGABRT
    assert stderr == (
        "dlc: out-of-bounds memref.load in @copy: index 0 of memref<4xf32> "
        "(oob.mlir:6:5) is 4, expected 0 <= index < 4\n"
    )


def test_a_negative_index_aborts():
    shift = CheckedLoopFunction(SHIFT, "shift")
    x, y = np.arange(4, dtype=np.float32), np.zeros(4, np.float32)
    status, stderr = run_in_child(lambda: shift(x, y))
    assert status == -signal.SIGABRT
    assert "memref.store in @shift: index 0 of memref<4xf32> (oob.mlir:8:5)" in stderr
    assert stderr.endswith(" is -1, expected 0 <= index < 4\n")


def test_a_vector_that_overhangs_its_row_aborts():
    tail = CheckedLoopFunction(TAIL, "tail")
    x, y = np.zeros((2, 20), np.float32), np.zeros((2, 8), np.float32)
    status, stderr = run_in_child(lambda: tail(x, y))
    assert status == -signal.SIGABRT
    assert stderr == (
        "dlc: out-of-bounds loop.vload in @tail: index 1 of memref<2x20xf32>, the "
        "first of 8 lanes (oob.mlir:5:3) is 16, expected 0 <= index < 13\n"
    )


def test_in_bounds_code_runs_unchanged_with_checks():
    copy = CheckedLoopFunction(COPY.replace("N", "4"), "copy")
    x, y = np.arange(4, dtype=np.float32), np.zeros(4, np.float32)
    assert run_in_child(lambda: copy(x, y)) == (0, "")
    copy(x, y)
    np.testing.assert_array_equal(y, x)


def test_dynamic_dimensions_are_not_checked():
    module = dlc.parse(
        """func.func @f(%x: memref<?x4xf32>, %i: index) -> f32 {
  %v = memref.load %x[%i, %i] : memref<?x4xf32>
  func.return %v : f32
}
"""
    )
    LoopBoundsCheckPass().apply(make_context(), module)
    checks = [op for op in module.walk() if isinstance(op, CheckIndexOp)]
    assert [c.extent.value.data for c in checks] == [4]
    assert checks[0].message.data.startswith("memref.load in @f: index 1 of")


def test_check_index_rejects_a_negative_extent():
    module = dlc.parse(
        """func.func @f(%i: index) {
  loop.check_index %i < 1, "x"
  func.return
}
"""
    )
    check = next(op for op in module.walk() if isinstance(op, CheckIndexOp))
    check.properties["extent"] = IntegerAttr(-1, i64)
    with pytest.raises(
        VerifyException, match=r'loop.check_index: extent must be >= 0, got -1 \("x"\)'
    ):
        check.verify()


def assert_same_results(checked: Any, unchecked: Any) -> None:
    """Bit for bit: the checks change no value."""
    checked = checked if isinstance(checked, tuple) else (checked,)
    unchecked = unchecked if isinstance(unchecked, tuple) else (unchecked,)
    for got, want in zip(checked, unchecked, strict=True):
        np.testing.assert_array_equal(got, want)


def check_nothing_trips(
    source: Any, entry: str, inputs: list[Array]
) -> CompiledFunction:
    """Compiled with and without checks: no check trips, and the outputs agree.

    The checked code is compiled at -O0: at -O3 LLVM proves (and removes) every
    check of the examples, and the point is to run them.
    """
    checked = dlc.compile(source, entry=entry, bounds_check=True, opt_level=0)
    inputs = [
        x.astype(signature.dtype)
        for x, signature in zip(inputs, checked.inputs, strict=True)
    ]
    status, stderr = run_in_child(lambda: checked(*inputs))
    assert (status, stderr) == (0, "")
    unchecked = dlc.compile(source, entry=entry)
    assert_same_results(checked(*inputs), unchecked(*inputs))
    return checked


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_no_check_trips_in_the_examples(example: Example):
    inputs = example.inputs(np.random.default_rng(0))
    checked = check_nothing_trips(example.text, example.name, inputs)
    assert "dlc: out-of-bounds" in checked.llvm_ir


def test_dlc_run_bounds_check_runs_the_pass_and_still_checks_out():
    done = subprocess.run(
        [sys.executable, "-m", "dlc.tools.dlc_run", "examples/conv.mlir"]
        + ["--random", "--check", "--bounds-check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert "loop-bounds-check" in done.stdout and "(ok," in done.stdout


@given(programs(), st.integers(0, 2**16))
def test_no_check_trips_in_random_programs(program: Program, seed: int):
    check_nothing_trips(program.module, program.function, program.random_inputs(seed))


def test_the_interpreter_runs_checked_loops_and_reports_a_failing_check():
    text = """
    func.func @f(%a: memref<4xf32>, %i: index) -> f32 {
      loop.check_index %i < 4, "memref.load in @f: index 0 of memref<4xf32>"
      %v = memref.load %a[%i] : memref<4xf32>
      func.return %v : f32
    }
    """
    module = dlc.parse(text)
    a = np.arange(4, dtype=np.float32)
    assert call_with_buffers(make_interpreter(module), "f", a, 3) == (3.0,)
    with pytest.raises(InterpretationError, match="index 0 of memref<4xf32> is 4"):
        call_with_buffers(make_interpreter(module), "f", a, 4)
