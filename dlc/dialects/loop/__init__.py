"""The loop dialect: explicit loop nests over builtin memrefs (TVM TIR, scf + memref).

Buffers are builtin ``memref`` values handled with xDSL's ``memref`` ops
(``alloc``, ``load``, ``store``, ``dealloc``); scalar bodies are ``arith`` and
``math``. The dialect adds the loops (:mod:`dlc.dialects.loop.loops`), the
short-vector ops a vectorized loop needs (:mod:`dlc.dialects.loop.vector`) and a
run-time bounds check (:mod:`dlc.dialects.loop.checks`).
docs/dialects/loop.md describes every op and how schedules are expressed.
"""

from xdsl.ir import Dialect

from dlc.dialects.loop.checks import CHECK_OPS, CheckIndexOp
from dlc.dialects.loop.loops import (
    CPU_THREAD,
    GPU_BLOCKS,
    GPU_THREADS,
    LOOP_OPS,
    MAPPINGS,
    NO_MAPPING,
    THREADS,
    UNROLL,
    VECTORIZE,
    ForOp,
    ParallelOp,
    YieldOp,
    constant_index,
    constant_trip_count,
)
from dlc.dialects.loop.vector import (
    LANEWISE_ARITH,
    REDUCTION_KINDS,
    VECTOR_OPS,
    VECTOR_WIDTHS,
    FmaOp,
    SplatOp,
    VLoadOp,
    VReduceOp,
    VStoreOp,
)

LOOP = Dialect("loop", [*LOOP_OPS, *VECTOR_OPS, *CHECK_OPS], [])

__all__ = [
    "CPU_THREAD",
    "GPU_BLOCKS",
    "GPU_THREADS",
    "LANEWISE_ARITH",
    "LOOP",
    "MAPPINGS",
    "NO_MAPPING",
    "REDUCTION_KINDS",
    "THREADS",
    "UNROLL",
    "VECTORIZE",
    "VECTOR_WIDTHS",
    "CheckIndexOp",
    "FmaOp",
    "ForOp",
    "ParallelOp",
    "SplatOp",
    "VLoadOp",
    "VReduceOp",
    "VStoreOp",
    "YieldOp",
    "constant_index",
    "constant_trip_count",
]
