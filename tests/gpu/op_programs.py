"""One small program per nn op and float type, the same ones on every run.

The GPU tests compile each op of the catalogue (``tests.strategies.OP_SPECS``) in
f32, f64 and f16, through ``dlc-gpu`` to PTX (and on a GPU, run them). The programs
come from the property tests' generator with hypothesis derandomized, so every run
checks the same programs: among the first few that return the op's result, the one
where the op computes the most elements (odd sizes, broadcasting, integer and
boolean operands appear where the generator draws them).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache

from hypothesis import HealthCheck, Phase, given, settings
from xdsl.dialects.builtin import Float16Type, Float32Type, Float64Type, TensorType
from xdsl.dialects.func import FuncOp
from xdsl.ir import Attribute

from dlc.dialects.nn.logical import CastOp
from tests.strategies import OP_SPECS, OpSpec, Program, programs

FLOAT_TYPES: dict[str, Attribute] = {
    "f32": Float32Type(),
    "f64": Float64Type(),
    "f16": Float16Type(),
}

CANDIDATES = (12, 80)
"""Programs drawn per op and type (more if none of the first returns the op's
result); the largest that returns it is kept."""

SPECS: dict[str, OpSpec] = {spec.op.name: spec for spec in OP_SPECS}

CASES: list[str] = [f"{op}-{type_}" for op in SPECS for type_ in FLOAT_TYPES]
"""Test ids, ``nn.relu-f32``: known without drawing any program."""


@cache
def op_program(case: str) -> Program:
    """The program of ``case`` (an id of :data:`CASES`)."""
    op, type_ = case.rsplit("-", 1)
    spec = SPECS[op]
    for count in CANDIDATES:
        found = _draw(spec, FLOAT_TYPES[type_], count)
        if found:
            return max(found, key=_op_elements(spec))
    raise AssertionError(f"no program returns {op} among {CANDIDATES[-1]} drawn")


def _draw(spec: OpSpec, element_type: Attribute, count: int) -> list[Program]:
    """The programs among the first ``count`` drawn that return the op's result."""
    found: list[Program] = []

    @settings(
        derandomize=True,
        database=None,
        max_examples=count,
        phases=[Phase.generate],
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
        deadline=None,
    )
    @given(programs(max_ops=1, specs=[spec], element_types=[element_type]))
    def collect(program: Program) -> None:
        if _returns(program, spec):
            found.append(program)

    collect()
    return found


def _returns(program: Program, spec: OpSpec) -> bool:
    """Whether the function returns a result of the op (maybe cast to the
    program's type), so that the op is not dead code."""
    function = next(o for o in program.module.ops if isinstance(o, FuncOp))
    returned = function.body.block.last_op
    assert returned is not None
    for value in returned.operands:
        owner = value.owner
        if isinstance(owner, CastOp) and spec.op is not CastOp:
            owner = owner.operands[0].owner
        if isinstance(owner, spec.op):
            return True
    return False


def _op_elements(spec: OpSpec) -> Callable[[Program], int]:
    """The size of the op's largest result in a program: the programs kept put
    the op to work on many elements rather than on a scalar."""

    def size(program: Program) -> int:
        return max(
            math.prod(result.type.get_shape())
            for op in program.module.walk()
            if isinstance(op, spec.op)
            for result in op.results
            if isinstance(result.type, TensorType)
        )

    return size
