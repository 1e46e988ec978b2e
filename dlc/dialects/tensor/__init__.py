"""The tensor dialect: tensors defined by index expressions (TVM TE, Halide level).

dlc's own dialect with the ``tensor`` namespace; it is not MLIR's tensor dialect.
The ops live in :mod:`.compute` (``tensor.compute``, ``tensor.yield``) and
:mod:`.read` (``tensor.read``), the scalar definitions they share in :mod:`.scalars`,
and the ``compute_at`` relation between computes in :mod:`.compute_at`.
See docs/dialects/tensor.md.
"""

from xdsl.ir import Dialect

from dlc.dialects.tensor.attributes import ScheduleAttr
from dlc.dialects.tensor.compute import (
    ComputeOp,
    YieldOp,
    enclosing_compute,
    is_defined_inside,
)
from dlc.dialects.tensor.compute_at import compute_at_host
from dlc.dialects.tensor.read import ReadOp
from dlc.dialects.tensor.scalars import (
    COMBINERS,
    Combiner,
    combiner_identity,
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
    "compute_at_host",
    "enclosing_compute",
    "is_defined_inside",
    "scalar_attr",
]
