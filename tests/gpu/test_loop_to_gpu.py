"""loop-to-gpu preserves what the loop level computes, checked in the GPU emulator.

Each program is lowered nn -> loop (canonicalize, nn-to-tensor, tensor-fuse,
tensor-to-loop), mapped by loop-to-gpu, and the host function run by the
reference interpreter, whose gpu ops are the emulator of dlc/interpreter/gpu.py.
The result must equal the nn reference interpreter's. Two loop levels are
checked: the default one (sequential nests: one-thread kernels) and the one of
``dlc-gpu``, after tensor-schedule{target=gpu}: contractions become shared-memory
tiled kernels with private accumulators and barriers, and every other compute
runs its output dims in parallel, so that loop-to-gpu linearizes the nests over
small blocks. The examples run at small odd sizes.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from xdsl.dialects.builtin import ModuleOp
from xdsl.passes import ModulePass
from xdsl.transforms.canonicalize import CanonicalizePass

import dlc
from dlc.context import make_context
from dlc.interpreter import make_interpreter
from dlc.interpreter.loop import call_with_buffers
from dlc.lowering.loop_to_gpu import LoopToGpuPass
from dlc.lowering.nn_to_tensor import NNToTensorPass
from dlc.lowering.tensor_to_loop import TensorToLoopPass
from dlc.transforms.tensor_fuse import TensorFusePass
from dlc.transforms.tensor_schedule import TensorSchedulePass
from tests.example_models import EXAMPLES
from tests.gpu.op_programs import SPECS, op_program

Array = np.ndarray[Any, Any]
ROOT = Path(__file__).resolve().parent.parent.parent

SMALL_EXAMPLES: dict[str, dict[int, int]] = {
    "mlp": {64: 3, 784: 5, 1024: 7},
    "cnn": {8: 1, 32: 4, 16: 2, 64: 3, 4096: 3},
    "conv": {64: 3, 56: 5},
    "transformer_block": {128: 5, 256: 6, 4: 2, 64: 3, 1024: 7},
}
"""Each example with its sizes renamed (``old: new`` everywhere in the text), so
that its shapes stay consistent: reshapes, flattens and heads still match."""


def to_gpu(module: ModuleOp, *, parallel: bool, block_size: int) -> ModuleOp:
    lowered = module.clone()
    passes: list[ModulePass] = [CanonicalizePass(), NNToTensorPass(), TensorFusePass()]
    if parallel:
        passes.append(TensorSchedulePass(target="gpu"))
    passes += [TensorToLoopPass(), LoopToGpuPass(block_size=block_size)]
    ctx = make_context()
    for pass_ in passes:
        pass_.apply(ctx, lowered)
    lowered.verify()
    return lowered


def check_emulated(
    module: ModuleOp, function: str, inputs: list[Array], *, parallel: bool
) -> ModuleOp:
    """Run ``function`` after loop-to-gpu in the emulator; compare with nn."""
    expected = dlc.interpret(module, function, *inputs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    gpu_module = to_gpu(module, parallel=parallel, block_size=8)
    outputs = [np.zeros(e.shape, e.dtype) for e in expected]
    call_with_buffers(make_interpreter(gpu_module), function, *inputs, *outputs)
    for want, got in zip(expected, outputs, strict=True):
        scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-4 * scale)
    return gpu_module


def small_example(name: str) -> str:
    sizes = SMALL_EXAMPLES[name]
    text = (EXAMPLES / f"{name}.mlir").read_text()
    text = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    return re.sub(
        r"(?<![fi\d])\d+(?!\d)",
        lambda m: str(sizes.get(int(m.group()), m.group())),
        text,
    )


def random_inputs(module: ModuleOp, function: str, seed: int) -> list[Array]:
    rng = np.random.default_rng(seed)
    func_op = next(
        op
        for op in module.ops
        if getattr(op, "sym_name", None) is not None and op.sym_name.data == function  # pyright: ignore[reportAttributeAccessIssue]
    )
    shapes = [
        tuple(t.get_shape())  # pyright: ignore[reportAttributeAccessIssue]
        for t in func_op.function_type.inputs.data  # pyright: ignore[reportAttributeAccessIssue]
    ]
    return [(rng.standard_normal(s) * 0.5).astype(np.float32) for s in shapes]


def test_every_example_has_small_sizes():
    assert sorted(p.stem for p in EXAMPLES.glob("*.mlir")) == sorted(SMALL_EXAMPLES)


@pytest.mark.parametrize("parallel", [False, True], ids=["sequential", "scheduled"])
@pytest.mark.parametrize("name", sorted(SMALL_EXAMPLES))
def test_example_runs_the_same_on_the_emulated_gpu(name: str, parallel: bool):
    module = dlc.parse(small_example(name), f"{name}.mlir")
    check_emulated(module, name, random_inputs(module, name, 0), parallel=parallel)


OPS = sorted(SPECS)


@pytest.mark.parametrize("op", OPS)
def test_nn_op_runs_the_same_on_the_emulated_gpu(op: str):
    program = op_program(f"{op}-f32")
    inputs = program.random_inputs(0)
    compiled = dlc.compile(program.module, entry=program.function)
    typed = [x.astype(s.dtype) for x, s in zip(inputs, compiled.inputs, strict=True)]
    check_emulated(program.module, program.function, typed, parallel=True)


def test_parallel_nests_become_multi_block_kernels():
    module = dlc.parse(small_example("mlp"), "mlp.mlir")
    gpu_module = to_gpu(module, parallel=True, block_size=8)
    text = str(gpu_module)
    assert "gpu.block_id" in text and "gpu.thread_id" in text
    assert "loop.parallel" not in text


def test_premapped_tiled_matmul_with_shared_and_private_buffers():
    """The block/thread nest of filecheck/lowering/loop-to-gpu.mlir's tiled
    case (k-tiles staged in workgroup memory, a private accumulator per thread,
    barriers between the thread loops) computes what the loop level does."""
    text = (ROOT / "filecheck/lowering/loop-to-gpu.mlir").read_text()
    case = next(c for c in text.split("// -----") if "@tiled" in c)
    module = dlc.parse(case, "tiled.mlir")
    rng = np.random.default_rng(1)
    a, b = (rng.standard_normal((8, 8)).astype(np.float32) for _ in range(2))
    serial = np.zeros((8, 8), np.float32)
    call_with_buffers(make_interpreter(module), "tiled", a, b, serial)
    LoopToGpuPass().apply(make_context(), module)
    module.verify()
    emulated = np.zeros((8, 8), np.float32)
    call_with_buffers(make_interpreter(module), "tiled", a, b, emulated)
    np.testing.assert_allclose(serial, a @ b, rtol=1e-5, atol=1e-5)
    np.testing.assert_array_equal(emulated, serial)


@pytest.mark.parametrize("parallel", [False, True], ids=["sequential", "scheduled"])
def test_serial_code_on_a_rank0_tensor_runs_in_one_kernel(parallel: bool):
    """The exp of a loaded scalar belongs to the serial kernel that loads it."""
    module = dlc.parse(
        "func.func @f(%x: tensor<f32>) -> tensor<f32> {\n"
        "  %0 = nn.exp %x : tensor<f32>\n"
        "  %1 = nn.neg %0 : tensor<f32>\n"
        "  func.return %1 : tensor<f32>\n"
        "}\n"
    )
    gpu_module = check_emulated(
        module, "f", [np.array(0.75, np.float32)], parallel=parallel
    )
    launches = [op for op in gpu_module.walk() if op.name == "gpu.launch_func"]
    assert len(launches) == 1
