"""loop-memory-plan: the arena is never larger than what was live before, buffers
that live at the same time never share bytes, and planned code computes the same.

The FileCheck file filecheck/transforms/loop-memory-plan.mlir pins the rewrite
and the in-place rules case by case; here the plan is checked on the examples and
on random programs, whose planned loop code runs in the reference interpreter.
"""

from __future__ import annotations

import io
from contextlib import redirect_stdout
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects import func
from xdsl.dialects.builtin import MemRefType, ModuleOp

import dlc
from dlc.compiler import MemoryStats, cpu_passes
from dlc.context import make_context
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import buffer_dtype, call_with_buffers
from dlc.tools.dlc_run import main as dlc_run_main
from dlc.transforms.loop_memory_plan import (
    ALIGNMENT,
    LoopMemoryPlanPass,
    MemoryPlan,
    apply_plan,
    plan_buffers,
)
from tests.example_models import EXAMPLE_MODELS, Example
from tests.strategies import Program, programs
from tests.test_compile import TOLERANCE


def lower_to_loops(module: ModuleOp, *, only: set[str] | None = None) -> ModuleOp:
    """``module`` through the CPU pipeline, stopping before loop-memory-plan.

    ``only``, if given, names the passes to run, the others are skipped.
    """
    ctx = make_context()
    for pass_ in cpu_passes(bounds_check=False, threads=2):
        if isinstance(pass_, LoopMemoryPlanPass):
            return module
        if only is None or pass_.name in only:
            pass_.apply(ctx, module)
    raise AssertionError("the CPU pipeline has no loop-memory-plan")


UNFUSED_SCALAR = {"canonicalize", "nn-to-tensor", "tensor-to-loop", "loop-parallelize"}
"""Without fusion every nn op leaves a temporary (more for the planner), and
without the vector passes the interpreter runs every op (it has no vector
``arith.maximumf``, for one)."""


def check_plan(plan: MemoryPlan) -> None:
    """Buffers alive together never overlap; offsets are aligned; the arena fits
    them and is no larger than the peak of what was live before planning."""
    for slot in plan.slots:
        assert slot.offset % ALIGNMENT == 0
        assert slot.offset + slot.size <= plan.arena_bytes
        members = slot.members
        for earlier, later in zip(members, members[1:], strict=False):
            assert earlier.end == later.start  # computed in place, as it dies
    for a in plan.slots:
        for b in plan.slots:
            if a is not b and a.overlaps(b):
                assert a.offset + a.size <= b.offset or b.offset + b.size <= a.offset
    assert plan.arena_bytes <= plan.live_bytes <= plan.temporary_bytes


def entry(module: ModuleOp) -> func.FuncOp:
    return next(op for op in module.ops if isinstance(op, func.FuncOp))


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_examples_are_planned_within_their_live_bytes(example: Example):
    module = lower_to_loops(dlc.parse(example.text))
    check_plan(plan_buffers(entry(module).body.block))


def interpret_loops(module: ModuleOp, inputs: list[Any]) -> list[Any]:
    """Call the bufferized entry function on ``inputs``; return its out buffers."""
    arrays: list[Any] = []
    function = entry(module)
    for memref_type in function.function_type.inputs.data:
        assert isinstance(memref_type, MemRefType)
        shape = memref_type.get_shape()
        arrays.append(np.zeros(shape, buffer_dtype(memref_type.element_type)))
    for array, value in zip(arrays, inputs, strict=False):
        array[...] = value
    call_with_buffers(make_interpreter(module), function.sym_name.data, *arrays)
    return arrays[len(inputs) :]


@settings(max_examples=max(5, settings.default.max_examples // 2))
@given(programs(max_ops=8), st.integers(0, 2**16))
def test_planned_random_programs_compute_what_the_reference_does(
    program: Program, seed: int
):
    inputs = program.random_inputs(seed)
    expected = dlc.interpret(program.module, program.function, *inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    module = lower_to_loops(program.module.clone(), only=UNFUSED_SCALAR)
    block = entry(module).body.block
    plan = plan_buffers(block)
    check_plan(plan)
    apply_plan(block, plan)
    got = interpret_loops(module, inputs)
    for out, ref in zip(got, expected, strict=True):
        scale = max(float(np.max(np.abs(ref), initial=0.0)), 1e-3)
        error = float(np.max(np.abs(out.astype(np.float64) - ref), initial=0.0))
        assert error <= TOLERANCE[str(ref.dtype)] * scale


CHAIN = """
func.func @chain(%x: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %a = nn.exp %x : tensor<64x64xf32>
  %b = nn.transpose %a {perm = array<i64: 1, 0>}
      : tensor<64x64xf32> -> tensor<64x64xf32>
  %c = nn.tanh %b : tensor<64x64xf32>
  %d = nn.add %c, %b : (tensor<64x64xf32>, tensor<64x64xf32>) -> tensor<64x64xf32>
  %e = nn.sigmoid %d : tensor<64x64xf32>
  func.return %e : tensor<64x64xf32>
}
"""


def test_compiled_functions_report_their_plan(tmp_path: Any):
    compiled = dlc.compile(CHAIN, threads=1)
    assert isinstance(compiled.stats, MemoryStats)
    stats = compiled.stats
    assert stats.arena_bytes <= stats.live_bytes <= stats.temporary_bytes
    x = np.linspace(-1, 1, 64 * 64, dtype=np.float32).reshape(64, 64)
    a = np.exp(x.astype(np.float64)).T
    d = np.tanh(a) + a
    np.testing.assert_allclose(compiled(x), 1 / (1 + np.exp(-d)), rtol=1e-5)

    path = tmp_path / "chain.mlir"
    path.write_text(CHAIN)
    printed = io.StringIO()
    with redirect_stdout(printed), pytest.raises(SystemExit) as exit:
        dlc_run_main([str(path), "--stats", "--threads", "1"])
    assert exit.value.code == 0
    assert (
        f"temporaries: peak {stats.arena_bytes} bytes (one arena), "
        f"{stats.temporary_bytes} bytes in {stats.buffers} buffers, at most "
        f"{stats.live_bytes} bytes live at once; {stats.in_place} computed in place"
    ) in printed.getvalue()
    assert "1 thread" in printed.getvalue()
