"""The xDSL context dlc parses and rewrites in.

Only the dialects dlc uses are registered. xDSL's own ``tensor`` dialect is left out
on purpose: dlc's ``tensor`` dialect (tensor expressions) owns that namespace.
"""

from xdsl.context import Context
from xdsl.dialects.arith import Arith
from xdsl.dialects.builtin import Builtin
from xdsl.dialects.cf import Cf
from xdsl.dialects.func import Func
from xdsl.dialects.llvm import LLVM
from xdsl.dialects.math import Math
from xdsl.dialects.memref import MemRef
from xdsl.dialects.scf import Scf
from xdsl.ir import Dialect

from dlc.dialects.loop import LOOP
from dlc.dialects.loop.memory_space import GPU_DIALECT
from dlc.dialects.nn import NN
from dlc.dialects.tensor import TENSOR

DLC_DIALECTS: tuple[Dialect, ...] = (
    Builtin,
    Func,
    Arith,
    Math,
    MemRef,
    Scf,
    Cf,
    LLVM,
    NN,
    TENSOR,
    LOOP,
    GPU_DIALECT,
)


def make_context() -> Context:
    """A fresh context with every dialect dlc knows loaded."""
    ctx = Context()
    for dialect in DLC_DIALECTS:
        ctx.load_dialect(dialect)
    return ctx
