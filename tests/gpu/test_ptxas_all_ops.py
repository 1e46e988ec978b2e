"""Every example and every nn op (f32, f64, f16) through ``dlc-gpu`` to PTX that
NVIDIA's assembler accepts: ``ptxas -arch=sm_90``, no GPU needed.

Each case lowers with :func:`dlc.compiler.lower_cuda` (which also builds and
checks the launch plan) and assembles each gpu.module's PTX. The cases run in a
pool of processes, all of the selected ones at the first test (so the sweep takes
about a minute on two cores rather than several); each test then reports its own
case, with the stage that failed and why.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.gpu.op_programs import CASES, op_program

GPU_ARCH = "sm_90"
ROOT = Path(__file__).parents[2]
EXAMPLES = {f"example-{p.stem}": p for p in sorted((ROOT / "examples").glob("*.mlir"))}
SCALAR = """
func.func @f(%x: tensor<f32>, %y: tensor<4xf32>) -> (tensor<f32>, tensor<4xf32>) {
  %e = nn.exp %x : tensor<f32>
  %s = nn.add %e, %y : (tensor<f32>, tensor<4xf32>) -> tensor<4xf32>
  func.return %e, %s : tensor<f32>, tensor<4xf32>
}
"""
"""Rank-0 code: top-level ops outside any parallel loop run in a 1x1 kernel."""
ALL_CASES = [*EXAMPLES, "scalar", *CASES]
F64_WITHOUT_NVPTX_MATH = {
    f"nn.{op}-f64"
    for op in (
        "sigmoid",
        "tanh",
        "exp",
        "log",
        "gelu",
        "pow",
        "softmax",
        "log_softmax",
        "erf",
        "softplus",
        "elu",
        "selu",
        "sin",
        "cos",
        "lrn",
    )
}
"""Ops on f64 that need a transcendental function: NVPTX has no libm and dlc has
f32 (and f16) polynomials only, so dlc-gpu must refuse them with a diagnostic
rather than emit a call ptxas cannot resolve."""


@dataclass(frozen=True)
class Outcome:
    """What became of one case: ``stage`` is "ok", "lower" (dlc-gpu, PTX or the
    launch plan failed) or "ptxas"; ``message`` says why."""

    case: str
    stage: str
    message: str
    seconds: float


def compile_case(case: str, ptxas: str) -> Outcome:
    """Lower one case to PTX and assemble it (runs in a worker process)."""
    from dlc.compiler import lower_cuda
    from dlc.targets.cuda.ptxas import PtxasError, assemble

    start = time.perf_counter()
    try:
        if case in EXAMPLES:
            path = EXAMPLES[case]
            program = lower_cuda(
                path.read_text(), filename=str(path), gpu_arch=GPU_ARCH
            )
        elif case == "scalar":
            program = lower_cuda(SCALAR, gpu_arch=GPU_ARCH)
        else:
            nn = op_program(case)
            program = lower_cuda(nn.module, nn.function, gpu_arch=GPU_ARCH)
    except Exception as error:  # noqa: BLE001 - reported by the case's test
        message = "".join(traceback.format_exception_only(error)).strip()
        return Outcome(case, "lower", message, time.perf_counter() - start)
    try:
        for text in program.ptx.values():
            assemble(text, GPU_ARCH, ptxas)
    except PtxasError as error:
        return Outcome(case, "ptxas", str(error), time.perf_counter() - start)
    return Outcome(case, "ok", "", time.perf_counter() - start)


def _compile_case(arguments: tuple[str, str]) -> Outcome:
    return compile_case(*arguments)


@pytest.fixture(scope="session")
def outcomes(request: pytest.FixtureRequest, ptxas_path: str) -> dict[str, Outcome]:
    """The outcome of every selected case, computed in parallel at first use."""
    selected = [
        str(item.callspec.params["case"])
        for item in request.session.items
        if isinstance(item, pytest.Function)
        and item.originalname == "test_ptxas_accepts_the_ptx"
        and hasattr(item, "callspec")
    ]
    jobs = [(case, ptxas_path) for case in selected]
    with multiprocessing.get_context("spawn").Pool(os.cpu_count() or 1) as pool:
        results = pool.imap_unordered(_compile_case, jobs, chunksize=4)
        return {outcome.case: outcome for outcome in results}


@pytest.mark.requires_ptxas
@pytest.mark.parametrize("case", ALL_CASES)
def test_ptxas_accepts_the_ptx(case: str, outcomes: dict[str, Outcome]):
    outcome = outcomes[case]
    if case in F64_WITHOUT_NVPTX_MATH:
        assert outcome.stage == "lower", f"{case}: expected the f64 diagnostic"
        assert "no NVPTX lowering for f64" in outcome.message, outcome.message
        return
    if outcome.stage != "ok":
        pytest.fail(f"{case}: {outcome.stage} failed:\n{outcome.message}", False)
