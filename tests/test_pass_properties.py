"""Properties of every pass, at every level, on random nn programs.

A random program (tests/strategies.py) goes through the ``dlc-cpu`` passes one at
a time. After each pass the module must

* verify (``verify_module``, dlc's verifier with the MLIR rules xDSL lacks);
* print and parse back to the same text, in the custom and in the generic form;
* compute, in the reference interpreter, what the nn program computes;

and canonicalize and cse must be idempotent on it. Passes that ``dlc-cpu`` does not
run (cse, dce, licm, loop-tile, loop-interchange, loop-bounds-check, ...) and
pipeline passes with other options are applied *alone* to the module of their
level, and must keep its results too. The native code is compared with the nn
reference by tests/test_compile.py; here compilation must also be deterministic:
the same program gives the same LLVM IR twice in one process, and the same
assembly in processes with different hash seeds (set and dict orders).

Examples per test: the ci profile runs 12 programs through every pass and 12
through the passes alone, compiles 8 twice and 6 on threads (about a minute on
two cores); the long profile (``--hypothesis-profile=long``) 250, 250, 125, 125.

Tolerances, per element type, relative to the largest expected magnitude: the
loop-level interpreter computes scalars in float64 and rounds at each store, the
nn reference rounds once per op, so results differ by a few roundings of the
element type per op of the program: f16 3e-2, f32 1e-4, f64 1e-9
(tests/support.py). Integer and boolean results are equal.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import MemRefType, ModuleOp
from xdsl.dialects.func import FuncOp
from xdsl.passes import ModulePass, PassPipeline
from xdsl.printer import Printer

import dlc
from dlc.compiler import cpu_passes
from dlc.context import make_context
from dlc.dialects.tensor import ComputeOp, ScheduleAttr
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import buffer_dtype, call_with_buffers
from dlc.lowering.loop_to_llvm import LoopToLLVMPass
from dlc.lowering.tensor_to_loop import TensorToLoopPass
from dlc.parse import verify_module
from dlc.transforms.registry import all_passes
from dlc.transforms.tensor_fuse import TensorFusePass
from dlc.transforms.tensor_schedule import TensorSchedulePass
from tests.example_models import EXAMPLES
from tests.loop_pass_support import native
from tests.strategies import Program, programs
from tests.support import PROGRAM_TOLERANCE

NumpyArray = np.ndarray[Any, Any]
ROOT = Path(__file__).resolve().parent.parent

LOOP_PASSES = (
    "canonicalize",
    "cse",
    "dce",
    "licm",
    "loop-tile{sizes=2,3}",
    "loop-tile{sizes=4,2,3,2 levels=2}",
    "loop-interchange{order=1,0}",
    "loop-unroll{factor=3}",
    "loop-vectorize{width=4}",
    "loop-hoist",
    "loop-parallelize{threads=3 min-task-work=1}",
    "loop-memory-plan",
    "loop-outline-kernels",
    "loop-bounds-check",
)
ALONE: dict[str, tuple[str, ...]] = {
    "nn": ("cse", "dce", "canonicalize"),
    "tensor": ("canonicalize", "cse", "dce", "tensor-fuse", "tensor-schedule"),
    "loop": LOOP_PASSES,
    "parallel loop": LOOP_PASSES,
}
"""Passes applied alone to a module of each level: nn as drawn, tensor right after
nn-to-tensor (unfused), loop right after the pipeline's tensor-to-loop, and
parallel loop where every compute had a parallel dim (the default schedules give
one only to computes with enough work, which random programs never have)."""

LEVEL_AFTER = {"nn-to-tensor": "tensor", "tensor-to-loop": "loop"}
"""The pipeline pass after which a level's module is taken."""

IDEMPOTENT = ("canonicalize", "cse")


def make_pass(spec: str) -> ModulePass:
    (pass_,) = PassPipeline.parse_spec(all_passes(), spec).passes
    return pass_


def applied(module: ModuleOp, *passes: ModulePass) -> ModuleOp:
    """A copy of ``module`` after ``passes``, verified."""
    copy = module.clone()
    ctx = make_context()
    for pass_ in passes:
        pass_.apply(ctx, copy)
    verify_module(copy)
    return copy


def printed(module: ModuleOp, *, generic: bool = False) -> str:
    """The module as dlc-opt prints it, resources included."""
    out = StringIO()
    printer = Printer(stream=out, print_generic_format=generic)
    printer.print_op(module)
    printer.print_metadata(make_context().loaded_dialects)
    return out.getvalue()


def results(module: ModuleOp, function: str, inputs: Sequence[NumpyArray]) -> list[Any]:
    """``@function``'s results: returned (nn, tensor) or written to the output
    buffers that follow the inputs (loop level, destination-passing style)."""
    types = entry(module, function).function_type.inputs.data
    if len(types) == len(inputs) and not any(isinstance(t, MemRefType) for t in types):
        outputs = dlc.interpret(module, function, *inputs)
        return list(outputs) if isinstance(outputs, tuple) else [outputs]
    buffers = argument_buffers(module, function, inputs)
    call_with_buffers(make_interpreter(module), function, *buffers)
    return buffers[len(inputs) :]


def argument_buffers(
    module: ModuleOp, function: str, inputs: Sequence[NumpyArray]
) -> list[NumpyArray]:
    """One array per memref argument of a loop-level ``@function``: the inputs,
    converted to their dtypes, then zeroed output buffers."""
    buffers: list[NumpyArray] = []
    for memref_type in entry(module, function).function_type.inputs.data:
        assert isinstance(memref_type, MemRefType)
        shape = tuple(memref_type.get_shape())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
        buffers.append(np.zeros(shape, buffer_dtype(memref_type.element_type)))
    for buffer, value in zip(buffers, inputs, strict=False):
        buffer[...] = value
    return buffers


def entry(module: ModuleOp, function: str) -> FuncOp:
    return next(
        op
        for op in module.ops
        if isinstance(op, FuncOp) and op.sym_name.data == function
    )


def assert_agrees(got: Sequence[Any], want: Sequence[Any], where: str) -> None:
    assert len(got) == len(want), where
    for index, (actual, expected) in enumerate(zip(got, want, strict=True)):
        message = f"{where}, result {index}"
        assert actual.shape == expected.shape, message
        if expected.dtype.kind in "biu":
            np.testing.assert_array_equal(actual, expected, err_msg=message)
            continue
        tolerance = PROGRAM_TOLERANCE[str(expected.dtype)]
        scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
        np.testing.assert_allclose(
            actual, expected, rtol=tolerance, atol=tolerance * scale, err_msg=message
        )


def assert_round_trips(module: ModuleOp, where: str) -> None:
    """Custom and generic text parse back (verifying) to the same text."""
    custom = printed(module)
    assert printed(dlc.parse(custom)) == custom, f"{where}: custom form"
    generic = printed(module, generic=True)
    reparsed = dlc.parse(generic)
    assert printed(reparsed, generic=True) == generic, f"{where}: generic form"
    assert printed(reparsed) == custom, f"{where}: generic to custom"


def assert_idempotent(module: ModuleOp, where: str) -> None:
    for name in IDEMPOTENT:
        once = applied(module, make_pass(name))
        twice = applied(once, make_pass(name))
        assert str(twice) == str(once), f"{name} is not idempotent {where}"


def pipeline_stages(
    module: ModuleOp, until: str | None = None
) -> list[tuple[str, ModuleOp]]:
    """``(pass name, module after it)`` for every dlc-cpu pass in order, up to the
    pass named ``until``; each module is verified."""
    stages: list[tuple[str, ModuleOp]] = []
    current = module
    for pass_ in cpu_passes(bounds_check=False, threads=2):
        current = applied(current, pass_)
        stages.append((pass_.name, current))
        if pass_.name == until:
            break
    return stages


def level_modules(program: Program) -> dict[str, ModuleOp]:
    """The module of each level, taken from the dlc-cpu passes (see ALONE)."""
    levels = {"nn": program.module}
    for name, module in pipeline_stages(program.module, until="tensor-to-loop"):
        if name in LEVEL_AFTER:
            levels[LEVEL_AFTER[name]] = module
    fused = applied(levels["tensor"], TensorFusePass())
    for compute in fused.walk():
        if isinstance(compute, ComputeOp) and compute.output_shape:
            compute.schedule = ScheduleAttr(parallel=(0,))
    levels["parallel loop"] = applied(fused, TensorSchedulePass(), TensorToLoopPass())
    return levels


@settings(max_examples=max(12, settings.default.max_examples // 8))
@given(programs(max_ops=8), st.integers(0, 2**16))
def test_every_pipeline_pass_verifies_round_trips_and_keeps_the_results(
    program: Program, seed: int
):
    inputs = program.random_inputs(seed)
    reference = results(program.module, program.function, inputs)
    for name, module in pipeline_stages(program.module):
        assert_round_trips(module, f"after {name}")
        assert_idempotent(module, f"after {name}")
        if name != LoopToLLVMPass.name:
            got = results(module, program.function, inputs)
            assert_agrees(got, reference, f"after {name}")


@settings(max_examples=max(12, settings.default.max_examples // 8))
@given(programs(max_ops=8), st.integers(0, 2**16))
def test_each_pass_alone_keeps_what_its_level_computes(program: Program, seed: int):
    inputs = program.random_inputs(seed)
    reference = results(program.module, program.function, inputs)
    for level, module in level_modules(program).items():
        for spec in ALONE[level]:
            after = applied(module, make_pass(spec))
            got = results(after, program.function, inputs)
            assert_agrees(got, reference, f"{spec} alone at the {level} level")


@settings(max_examples=max(8, settings.default.max_examples // 16))
@given(programs(max_ops=8))
def test_compiling_twice_gives_the_same_llvm_ir(program: Program):
    first = dlc.compile(program.module, threads=2)
    second = dlc.compile(printed(program.module), threads=2)
    assert first.llvm_ir == second.llvm_ir


HASH_DRIVER = """
import hashlib, json, sys
from dlc.compiler import CompileTimes, run_pipeline
from dlc.context import make_context
from dlc.parse import parse_module
from dlc.pipelines import CPU_PIPELINE
from dlc.targets import cpu

digests = {}
for path in sys.argv[1:]:
    ctx = make_context()
    module = parse_module(ctx, open(path).read(), path)
    run_pipeline(ctx, module, CPU_PIPELINE, CompileTimes())
    assembly = cpu.emit_assembly(cpu.llvm_ir_text(module), opt_level=3)
    digests[path] = hashlib.sha256(assembly.encode()).hexdigest()
print(json.dumps(digests))
"""


def assembly_digests(paths: Sequence[Path], hash_seed: str) -> dict[str, str]:
    environment = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", HASH_DRIVER, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


DETERMINISM_EXAMPLES = ("cnn.mlir", "conv.mlir", "mlp.mlir")


def test_examples_compile_to_the_same_assembly_under_any_hash_seed():
    paths = [EXAMPLES / name for name in DETERMINISM_EXAMPLES]
    first = assembly_digests(paths, "1")
    assert first == assembly_digests(paths, "2")
    assert len(first) == len(paths) and all(
        len(digest) == len(hashlib.sha256().hexdigest()) for digest in first.values()
    )


@settings(max_examples=max(6, settings.default.max_examples // 16))
@given(programs(max_ops=8), st.integers(0, 2**16))
def test_parallel_loops_compile_to_what_the_reference_computes(
    program: Program, seed: int
):
    """Every compute runs on the thread pool (random programs' small computes
    never do by default), in native code."""
    inputs = program.random_inputs(seed)
    reference = results(program.module, program.function, inputs)
    parallel = applied(
        level_modules(program)["parallel loop"],
        make_pass("loop-parallelize{threads=2 min_task_work=1}"),
    )
    buffers = argument_buffers(parallel, program.function, inputs)
    native(parallel, program.function)(*buffers)
    assert_agrees(buffers[len(inputs) :], reference, "compiled parallel loops")
