"""Differential fuzzing: dlc's native code against onnxruntime on random programs.

Every random nn program (tests/strategies.py) is exported to ONNX
(dlc.export.onnx, which converts every nn op), run by onnxruntime on one thread,
and compiled by dlc; both run on the same inputs and must agree. The reference
interpreter runs too, so that a mismatch says which side is wrong.
``python bench/fuzz_differential.py`` is the long run.

onnxruntime 1.32 has no f64 kernel for Erf, Conv, AveragePool and Resize (nor for
a few ops the exporter writes out for f64 activations): a model it cannot load is
not a mismatch, and such an example is rejected (:class:`Outcome` ``UNSUPPORTED``).

Tolerances, relative to the largest expected magnitude (``rtol`` and ``atol`` both),
from the widest op of the program, by element type:

* every op: f16 3e-2, f32 1e-4, f64 1e-9. Both sides round every op's result to
  the element type, in different orders (MLAS sums in blocks, dlc's vector
  kernels in lanes) and with different polynomials (MLAS's exp, tanh, erf and
  logistic, dlc's vector_math), and errors compound over a few ops. onnxruntime
  computes f16 ops in f16 where dlc widens each op to f32 and rounds once;
* ops with a division by a sum or a norm (softmax, log_softmax, layer_norm,
  rms_norm, batch_norm, lrn, reduce_mean, avg_pool2d, global_avg_pool2d): f16 5e-2;
* ``pow``: f32 1e-3 (``x ** y`` with |y| <= 3 amplifies the operand's rounding
  by |y| and MLAS computes it as exp(y log x));
* integers and booleans are equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import numpy as np
import onnxruntime as ort
from hypothesis import given, reject
from hypothesis import strategies as st

import dlc
from dlc.export import export_onnx
from dlc.export.onnx import supported_ops
from tests.strategies import OP_SPECS, Program, programs

NumpyArray = np.ndarray[Any, Any]

EXPORTABLE = tuple(spec for spec in OP_SPECS if spec.op.name in supported_ops())
"""The generator's ops that dlc.export.onnx converts (all nn ops today)."""

BASE_TOLERANCE = {"float16": 3e-2, "float32": 1e-4, "float64": 1e-9}
NORMALIZING_OPS = frozenset(
    {
        "nn.softmax",
        "nn.log_softmax",
        "nn.layer_norm",
        "nn.rms_norm",
        "nn.batch_norm",
        "nn.lrn",
        "nn.reduce_mean",
        "nn.avg_pool2d",
        "nn.global_avg_pool2d",
    }
)
OP_TOLERANCE: dict[str, dict[str, float]] = {
    **{name: {"float16": 5e-2} for name in NORMALIZING_OPS},
    "nn.pow": {"float32": 1e-3},
}
"""Tolerances wider than :data:`BASE_TOLERANCE`, by op and element type."""


class Outcome(StrEnum):
    AGREE = "agree"
    MISMATCH = "mismatch"
    UNSUPPORTED = "onnxruntime cannot load"


@dataclass
class Comparison:
    """How dlc, onnxruntime and the reference interpreter compared on one program."""

    outcome: Outcome
    detail: str = ""
    ops: list[str] = field(default_factory=list[str])


def program_ops(program: Program) -> list[str]:
    return [op.name for op in program.module.walk() if op.name.startswith("nn.")]


def tolerance(ops: Sequence[str], dtype: np.dtype[Any]) -> float:
    """The widest tolerance among ``ops`` for results of ``dtype``."""
    name = str(dtype)
    wider = [OP_TOLERANCE.get(op, {}).get(name, 0.0) for op in ops]
    return max([BASE_TOLERANCE[name], *wider])


def run_onnxruntime(model_bytes: bytes, inputs: Sequence[NumpyArray]) -> list[Any]:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.log_severity_level = 3
    session = ort.InferenceSession(
        model_bytes, options, providers=["CPUExecutionProvider"]
    )
    feeds = {i.name: a for i, a in zip(session.get_inputs(), inputs, strict=True)}
    return session.run(None, feeds)


def differences(
    got: Sequence[NumpyArray], want: Sequence[NumpyArray], ops: Sequence[str]
) -> list[str]:
    """What differs between two lists of results, beyond the tolerance."""
    found: list[str] = []
    for index, (actual, expected) in enumerate(zip(got, want, strict=True)):
        actual = np.asarray(actual)
        if actual.shape != expected.shape or actual.dtype != expected.dtype:
            found.append(
                f"result {index}: {actual.dtype}{list(actual.shape)} where "
                f"{expected.dtype}{list(expected.shape)} was expected"
            )
        elif expected.dtype.kind in "biu":
            if not np.array_equal(actual, expected):
                wrong = int(np.sum(actual != expected))
                found.append(f"result {index}: {wrong} elements differ")
        else:
            limit = tolerance(ops, expected.dtype)
            scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
            bad = ~np.isclose(actual, expected, rtol=limit, atol=limit * scale)
            bad &= ~(np.isnan(actual) & np.isnan(expected))
            if bad.any():
                error = np.abs(actual.astype(np.float64) - expected)[bad].max()
                found.append(
                    f"result {index}: {int(bad.sum())} elements differ, max abs "
                    f"error {error:.3g} (tolerance {limit:g} x {scale:.3g})"
                )
    return found


def compare(program: Program, seed: int) -> Comparison:
    """Run ``program`` in dlc (native), onnxruntime and the reference interpreter."""
    ops = program_ops(program)
    compiled = dlc.compile(program.module, entry=program.function, threads=1)
    inputs = [
        x.astype(s.dtype)
        for x, s in zip(program.random_inputs(seed), compiled.inputs, strict=True)
    ]
    model = export_onnx(program.module, program.function).SerializeToString()
    try:
        theirs = run_onnxruntime(model, inputs)
    except Exception as error:
        if type(error).__name__ == "NotImplemented":
            return Comparison(Outcome.UNSUPPORTED, str(error).split("\n")[0], ops)
        raise
    ours = compiled(*inputs)
    ours = list(ours) if isinstance(ours, tuple) else [ours]
    found = differences(ours, theirs, ops)
    if not found:
        return Comparison(Outcome.AGREE, "", ops)
    reference = dlc.interpret(program.module, program.function, *inputs)
    reference = list(reference) if isinstance(reference, tuple) else [reference]
    blame = {
        "dlc": differences(ours, reference, ops),
        "onnxruntime": differences(theirs, reference, ops),
    }
    wrong = [who for who, diff in blame.items() if diff] or ["neither, alone"]
    detail = "; ".join(found) + f"; differs from the reference: {', '.join(wrong)}"
    return Comparison(Outcome.MISMATCH, detail, ops)


@given(programs(max_ops=8, specs=EXPORTABLE), st.integers(0, 2**16))
def test_onnxruntime_computes_what_dlc_compiles(program: Program, seed: int):
    comparison = compare(program, seed)
    if comparison.outcome is Outcome.UNSUPPORTED:
        reject()
    assert comparison.outcome is Outcome.AGREE, comparison.detail


def test_every_nn_op_takes_part():
    names = {spec.op.name for spec in EXPORTABLE}
    assert names == {spec.op.name for spec in OP_SPECS}
