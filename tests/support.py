"""Small helpers shared by the test modules."""

from __future__ import annotations

from typing import Any

import numpy as np
from xdsl.dialects.builtin import ModuleOp

import dlc
from dlc.context import make_context
from dlc.lowering.nn_to_tensor import NNToTensorPass
from tests.strategies import Program


def run_function(text: str, *inputs: Any, name: str = "f") -> Any:
    """Parse ``text`` (verifying it) and interpret ``@name`` on ``inputs``."""
    return dlc.interpret(dlc.parse(text), name, *inputs)


def random_array(
    rng: np.random.Generator, shape: tuple[int, ...], dtype: str = "float32"
) -> np.ndarray[Any, Any]:
    return rng.standard_normal(shape).astype(dtype)


def lowered(module: ModuleOp) -> ModuleOp:
    """A copy of ``module`` after nn-to-tensor (which checks that no nn op is left)."""
    copy = module.clone()
    NNToTensorPass().apply(make_context(), copy)
    copy.verify()
    return copy


PROGRAM_TOLERANCE = {"float16": 3e-2, "float32": 1e-4, "float64": 1e-9}
"""rtol (and atol relative to the largest expected magnitude) per dtype for random
programs, whose errors compound over several ops."""


def check_random_program(program: Program, seed: int) -> None:
    """The lowered (tensor level) and the compiled program equal the nn reference."""
    inputs = program.random_inputs(seed)
    expected = dlc.interpret(program.module, program.function, *inputs)
    compiled = dlc.compile(program.module, entry=program.function)
    typed = [x.astype(s.dtype) for x, s in zip(inputs, compiled.inputs, strict=True)]
    results = {
        "lowered": dlc.interpret(lowered(program.module), program.function, *inputs),
        "compiled": compiled(*typed),
    }
    if not isinstance(expected, tuple):
        expected = (expected,)
        results = {k: (v,) for k, v in results.items()}
    for where, actual in results.items():
        for want, got in zip(expected, actual, strict=True):
            tolerance = PROGRAM_TOLERANCE[str(want.dtype)]
            scale = max(1.0, float(np.max(np.abs(want), initial=0.0)))
            np.testing.assert_allclose(
                got, want, rtol=tolerance, atol=tolerance * scale, err_msg=where
            )
