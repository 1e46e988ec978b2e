"""loop-bounds-check: check every buffer index at run time (a debug aid).

Loop-level code is trusted to stay inside its buffers: loop-to-llvm emits
``getelementptr inbounds`` with no check, so a wrong bound in a lowering or a
schedule transform reads or writes someone else's memory silently. This pass puts
a ``loop.check_index`` before each ``memref.load``/``store`` and
``loop.vload``/``vstore``, one per index of a static dimension, so that such a bug
stops the program with a message naming the access.
``dlc.compile(..., bounds_check=True)`` and ``dlc-run --bounds-check`` run it just
before loop-to-llvm, after every loop-level pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import func, memref
from xdsl.dialects.builtin import MemRefType, ModuleOp, StringAttr, VectorType
from xdsl.ir import Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import SourceLocation
from dlc.dialects import loop
from dlc.dialects.loop import CheckIndexOp, constant_index
from dlc.transforms.loop_outline_kernels import KERNEL_OF


@dataclass(frozen=True)
class BufferAccess:
    """What a load or store touches: ``lanes`` elements from ``buffer[indices]``."""

    op: Operation
    buffer: SSAValue
    indices: Sequence[SSAValue]
    lanes: int

    @staticmethod
    def of(op: Operation) -> BufferAccess | None:
        if isinstance(op, memref.LoadOp | memref.StoreOp):
            return BufferAccess(op, op.memref, op.indices, 1)
        if isinstance(op, loop.VLoadOp):
            return BufferAccess(op, op.base, op.indices, _width(op.result.type))
        if isinstance(op, loop.VStoreOp):
            return BufferAccess(op, op.base, op.indices, _width(op.value.type))
        return None

    def describe(self, dim: int) -> str:
        """Which access and which index, for the run-time message."""
        function = self.op.parent_op()
        while function is not None and not isinstance(function, func.FuncOp):
            function = function.parent_op()
        name = None
        if function is not None:
            outlined_from = function.attributes.get(KERNEL_OF)
            name = outlined_from if isinstance(outlined_from, StringAttr) else None
            name = (name or function.sym_name).data
        where = f" in @{name}" if name is not None else ""
        text = f"{self.op.name}{where}: index {dim} of {self.buffer.type}"
        if self.lanes > 1 and dim == len(self.indices) - 1:
            text += f", the first of {self.lanes} lanes"
        location = SourceLocation.of(self.op.location)
        if location is not None:
            text += f" ({location.filename}:{location.line}:{location.column})"
        return text

    def checks(self) -> list[CheckIndexOp]:
        """One check per index of a static dimension, unless it is a safe constant.

        The lanes of a vector access lie along the innermost dimension, so its
        first lane must leave room for the others: ``0 <= j < size - lanes + 1``.
        """
        buffer_type = self.buffer.type
        assert isinstance(buffer_type, MemRefType)
        shape: Sequence[int] = buffer_type.get_shape()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        checks: list[CheckIndexOp] = []
        for dim, (index, size) in enumerate(zip(self.indices, shape, strict=True)):
            if size < 0:
                continue
            lanes = self.lanes if dim == len(shape) - 1 else 1
            extent = max(0, size - lanes + 1)
            value = constant_index(index)
            if value is not None and 0 <= value < extent:
                continue
            checks.append(CheckIndexOp(index, extent, self.describe(dim)))
        return checks


def _width(vector_type: object) -> int:
    assert isinstance(vector_type, VectorType)
    return vector_type.get_shape()[0]  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


@dataclass(frozen=True)
class LoopBoundsCheckPass(ModulePass):
    """Check each index of each buffer access against its dimension.

    ::

        loop.for %i = %c0 to %c5 step %c1 {
          %v = memref.load %A[%c0, %i] : memref<1x4xf32>
          loop.vstore %w, %B[%i] : memref<32xf32>, vector<16xf32>
        }

    becomes (``%c0`` is inside its dimension, so it needs no check)::

        loop.for %i = %c0 to %c5 step %c1 {
          loop.check_index %i < 4, "memref.load in @f: index 1 of memref<1x4xf32>"
          %v = memref.load %A[%c0, %i] : memref<1x4xf32>
          loop.check_index %i < 17,
              "loop.vstore in @f: index 0 of memref<32xf32>, the first of 16 lanes"
          loop.vstore %w, %B[%i] : memref<32xf32>, vector<16xf32>
        }

    Dynamic dimensions are not checked. LLVM removes the checks it can prove,
    such as that of a loop index against the loop's own constant bound.
    """

    name = "loop-bounds-check"

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        accesses = [a for o in op.walk() if (a := BufferAccess.of(o)) is not None]
        for access in accesses:
            Rewriter.insert_op(access.checks(), InsertPoint.before(access.op))
