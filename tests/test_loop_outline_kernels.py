"""loop-outline-kernels changes where the code of a nest lives, never what it does.

Each program is lowered by the dlc-cpu passes up to tensor-to-loop (the IR the
pass sees in the pipeline), then run with and without the pass: compiled after
the loop passes that follow it, the outputs must be bit for bit equal (the same
operations run in the same order, only in another function), and interpreted at
the loop level they must agree too. The light model squeezenet and the examples
also check that nests do share kernels, and that the pass is in dlc-cpu.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from xdsl.dialects.builtin import ModuleOp
from xdsl.dialects.func import CallOp, FuncOp

import dlc
from dlc.compiler import cpu_passes
from dlc.context import make_context
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from dlc.lowering.tensor_to_loop import TensorToLoopPass
from dlc.pipelines import CPU_PIPELINE
from dlc.transforms.loop_outline_kernels import LoopOutlineKernelsPass
from tests.example_models import EXAMPLE_MODELS, Example
from tests.loop_pass_support import native
from tests.onnx.test_light_models import TOLERANCE, normwise_error, run_light_model
from tests.strategies import Program, programs
from tests.test_pass_properties import argument_buffers

NumpyArray = np.ndarray[Any, Any]


def loop_level(module: ModuleOp, threads: int = 2) -> ModuleOp:
    """A copy of an nn ``module`` after the dlc-cpu passes up to tensor-to-loop:
    the IR loop-outline-kernels sees in the pipeline."""
    lowered = module.clone()
    ctx = make_context()
    for pass_ in cpu_passes(bounds_check=False, threads=threads):
        pass_.apply(ctx, lowered)
        if isinstance(pass_, TensorToLoopPass):
            return lowered
    raise AssertionError("dlc-cpu has no tensor-to-loop")


def finished(module: ModuleOp, threads: int = 2) -> ModuleOp:
    """A copy of a loop-level ``module`` after the loop passes that follow
    loop-outline-kernels in dlc-cpu (up to loop-to-llvm, not included)."""
    lowered = module.clone()
    ctx = make_context()
    passes = cpu_passes(bounds_check=False, threads=threads)
    names = [pass_.name for pass_ in passes]
    start = names.index(LoopOutlineKernelsPass.name) + 1
    for pass_ in passes[start : names.index("loop-to-llvm")]:
        pass_.apply(ctx, lowered)
    return lowered


def outlined(module: ModuleOp, **options: Any) -> ModuleOp:
    copy = module.clone()
    LoopOutlineKernelsPass(**options).apply(make_context(), copy)
    copy.verify()
    return copy


def function(module: ModuleOp, name: str) -> FuncOp:
    return next(
        op for op in module.ops if isinstance(op, FuncOp) and op.sym_name.data == name
    )


def compiled_outputs(
    module: ModuleOp, name: str, inputs: list[NumpyArray], threads: int = 2
) -> list[NumpyArray]:
    arrays = argument_buffers(module, name, inputs)
    native(finished(module, threads), name)(*arrays)
    return arrays[len(inputs) :]


def interpreted_outputs(
    module: ModuleOp, name: str, inputs: list[NumpyArray]
) -> list[NumpyArray]:
    arrays = argument_buffers(module, name, inputs)
    call_with_buffers(make_interpreter(module), name, *arrays)
    return arrays[len(inputs) :]


def kernel_calls(module: ModuleOp, name: str) -> tuple[int, int]:
    """How many kernel calls ``@name`` makes, and how many kernels it has."""
    calls = [op for op in function(module, name).walk() if isinstance(op, CallOp)]
    kernels = [
        op
        for op in module.ops
        if isinstance(op, FuncOp) and op.sym_name.data.startswith(f"{name}_kernel_")
    ]
    return len(calls), len(kernels)


def assert_bitwise_equal(got: list[NumpyArray], want: list[NumpyArray]) -> None:
    assert len(got) == len(want)
    for index, (actual, expected) in enumerate(zip(got, want, strict=True)):
        np.testing.assert_array_equal(actual, expected, err_msg=f"output {index}")


def test_dlc_cpu_outlines_kernels_right_after_tensor_to_loop():
    """The loop passes then run once per distinct kernel, not once per nest."""
    names = [pass_.name for pass_ in CPU_PIPELINE]
    at = names.index(LoopOutlineKernelsPass.name)
    assert names[at - 1 : at + 2] == [
        "tensor-to-loop",
        "loop-outline-kernels",
        "loop-vectorize",
    ]


def test_kernels_are_not_outlined_again():
    before = loop_level(dlc.parse(EXAMPLE_MODELS[1].text))
    once = outlined(before)
    assert str(outlined(once)) == str(once)


@pytest.mark.parametrize("example", EXAMPLE_MODELS, ids=lambda e: e.name)
def test_examples_compute_the_same_bits_with_kernels(example: Example):
    inputs = example.inputs(np.random.default_rng(0))
    before = loop_level(dlc.parse(example.text))
    after = outlined(before)
    calls, kernels = kernel_calls(after, example.name)
    assert 1 <= kernels <= calls
    want = compiled_outputs(before, example.name, inputs)
    got = compiled_outputs(after, example.name, inputs)
    assert_bitwise_equal(got, want)
    f32_inputs = [a.astype(np.float32).astype(np.float64) for a in inputs]
    expected = example.reference(*f32_inputs)
    np.testing.assert_allclose(got[0], expected, rtol=1e-4, atol=1e-5)


def test_dedup_false_gives_every_nest_a_kernel_of_its_own():
    example = EXAMPLE_MODELS[0]
    before = loop_level(dlc.parse(example.text))
    calls, kernels = kernel_calls(outlined(before, dedup=False), example.name)
    assert calls == kernels


def test_kernels_stay_functions_of_their_own_in_llvm():
    """LLVM must not inline a kernel back: every kernel is `noinline` in the IR
    dlc.compile hands to LLVM, and the entry function is not."""
    example = EXAMPLE_MODELS[0]
    defines = [
        line
        for line in dlc.compile(example.text, threads=1).llvm_ir.splitlines()
        if line.startswith("define")
    ]
    kernels = [line for line in defines if f'@"{example.name}_kernel_' in line]
    assert kernels and all(line.endswith(" noinline") for line in kernels)
    entry = [line for line in defines if f'@"{example.name}"(' in line]
    assert len(entry) == 1 and "noinline" not in entry[0]


def test_squeezenet_shares_kernels_and_matches_onnxruntime():
    run = run_light_model("squeezenet", threads=2)
    for index, (got, expected) in enumerate(zip(run.got, run.expected, strict=True)):
        error = normwise_error(got, expected)
        assert error <= TOLERANCE, f"output {index}: normwise error {error:.3g}"
    ir = run.compiled.llvm_ir
    kernels = re.findall(r'^define internal void @"?\w+_kernel_\d+"?\(', ir, re.M)
    calls = re.findall(r'call ccc void @"?\w+_kernel_\d+"?\(', ir)
    assert 0 < len(kernels) < len(calls)


@settings(max_examples=max(10, settings.default.max_examples // 10))
@given(programs(max_ops=8), st.integers(0, 2**16), st.sampled_from([1, 2]))
def test_random_programs_compute_the_same_with_kernels(
    program: Program, seed: int, threads: int
):
    inputs = program.random_inputs(seed)
    name = program.function
    before = loop_level(program.module, threads)
    after = outlined(before)
    assert_bitwise_equal(
        compiled_outputs(after, name, inputs, threads),
        compiled_outputs(before, name, inputs, threads),
    )
    assert_bitwise_equal(
        interpreted_outputs(after, name, inputs),
        interpreted_outputs(before, name, inputs),
    )
