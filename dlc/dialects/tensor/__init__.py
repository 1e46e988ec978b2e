"""The tensor dialect: tensors defined by index expressions (TVM TE, Halide level).

dlc's own dialect with the ``tensor`` namespace; it is not MLIR's tensor dialect.
See docs/dialects/tensor.md.
"""

from xdsl.ir import Dialect

from dlc.dialects.tensor.attributes import ScheduleAttr
from dlc.dialects.tensor.ops import (
    COMBINERS,
    Combiner,
    ComputeOp,
    ReadOp,
    YieldOp,
    combiner_identity,
    enclosing_compute,
    is_defined_inside,
    scalar_attr,
)

TENSOR = Dialect("tensor", [ComputeOp, ReadOp, YieldOp], [ScheduleAttr])

__all__ = [
    "COMBINERS",
    "TENSOR",
    "Combiner",
    "ComputeOp",
    "ReadOp",
    "ScheduleAttr",
    "YieldOp",
    "combiner_identity",
    "enclosing_compute",
    "is_defined_inside",
    "scalar_attr",
]
