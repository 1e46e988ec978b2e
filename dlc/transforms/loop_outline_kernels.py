"""loop-outline-kernels: move each loop nest into a kernel function, one per shape.

A model's function after ``tensor-to-loop`` is a long list of loop nests, and
many of them are the same code over other buffers: resnet50 has 161 nests but
only 57 distinct ones. Left inline, every copy is scheduled by the loop passes,
converted, printed, parsed and optimized by LLVM again. This pass outlines each
top-level nest of a function into a private ``func.func`` and lets all
structurally equal nests call one kernel, as IREE's dispatch-region outlining
and ``DeduplicateExecutables`` do::

    func.func @f(%x: memref<64xf32>, %y: memref<64xf32>, %z: memref<64xf32>) {
      %c0 = arith.constant 0 : index
      %c1 = arith.constant 1 : index
      %c64 = arith.constant 64 : index
      loop.for %i = %c0 to %c64 step %c1 { y[i] = exp(x[i]) }
      loop.for %i = %c0 to %c64 step %c1 { z[i] = exp(y[i]) }
      func.return
    }

becomes::

    func.func @f(%x: memref<64xf32>, %y: memref<64xf32>, %z: memref<64xf32>) {
      func.call @f_kernel_0(%x, %y) : (memref<64xf32>, memref<64xf32>) -> ()
      func.call @f_kernel_0(%y, %z) : (memref<64xf32>, memref<64xf32>) -> ()
      func.return
    }
    func.func private @f_kernel_0(%x: memref<64xf32>, %y: memref<64xf32>) {
      %c0 = arith.constant 0 : index
      %c64 = arith.constant 64 : index
      %c1 = arith.constant 1 : index
      loop.for %i = %c0 to %c64 step %c1 { y[i] = exp(x[i]) }
      func.return
    }

**Arguments.** A kernel takes the nest's free values (the operands it uses but
does not define) in the order of their first use, except those it can
recompute: a free value is *rematerialized* (its defining ops are cloned into
the kernel) when it comes from a side-effect-free op without regions, not of
memref type, whose operands are rematerialized too. So constants, and the
splats of constants that ``loop-hoist`` moved out of the loops, stay constants
in the kernel, which LLVM needs for trip counts and sizes, and two nests that
differ only in the buffers (arguments, weights, temporaries) they touch share
one kernel. The function's copies that nothing uses any more are erased.

**Sharing.** Two nests share a kernel when, their free values paired by
position, the passed ones have equal types, the rematerialized ones equal
defining ops, and the nests are structurally equivalent under that pairing
(same ops, attributes, properties and result types, the same uses). Nests are
bucketed by their ops' names and nesting first, so that only candidates of the
same shape are compared, and each comparison is one linear walk
(:mod:`dlc.structural_equivalence`).

**Left inline.** Nests with results (a ``loop.for`` whose ``iter_args``
result is used later: rare at the top level), nests smaller than ``min-ops``
ops, and terminators. With ``dedup=false`` every nest gets its own kernel.
Kernels are named ``@<function>_kernel_<n>``, numbered in the order of the
nests, placed after their function, and marked with its name
(``dlc.kernel_of``); functions so marked are not outlined again.
"""

from __future__ import annotations

import itertools
from collections.abc import Hashable
from dataclasses import dataclass, field

from xdsl.context import Context
from xdsl.dialects import func
from xdsl.dialects.builtin import MemRefType, ModuleOp, StringAttr, UnitAttr
from xdsl.ir import Block, BlockArgument, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import IsTerminator, is_side_effect_free

from dlc.structural_equivalence import Flat, equivalent, flatten

NO_INLINE = "no_inline"
"""The unit attribute, as MLIR's func.func has it, that keeps a kernel a call."""

KERNEL_OF = "dlc.kernel_of"
"""The name of the function a kernel was outlined from (for messages); the pass
leaves functions that have it alone, so that it is idempotent."""


@dataclass(frozen=True)
class LoopOutlineKernelsPass(ModulePass):
    """Outline every top-level loop nest into a shared kernel (module docstring).

    ``min-ops``: nests of fewer ops (counting the nest's own op and all inside
    it) stay inline. ``dedup``: structurally equal nests share one kernel.
    """

    name = "loop-outline-kernels"

    min_ops: int = 0
    dedup: bool = True

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        taken = {
            name.data
            for symbol in op.ops
            if isinstance(name := symbol.get_attr_or_prop("sym_name"), StringAttr)
        }
        for function in list(op.ops):
            if (
                isinstance(function, func.FuncOp)
                and function.body.blocks
                and KERNEL_OF not in function.attributes
            ):
                outline_kernels(function, taken, min_ops=self.min_ops, dedup=self.dedup)


@dataclass
class Nest:
    """A top-level op with regions, flattened, and a key of its shape and of
    what its free values are (argument types, or recomputed values)."""

    flat: Flat
    signature: Hashable

    @property
    def op(self) -> Operation:
        return self.flat.op

    @property
    def free(self) -> list[SSAValue]:
        return self.flat.free

    def passed(self, remat: Rematerializer) -> list[SSAValue]:
        return [value for value in self.free if not remat.can(value)]


@dataclass
class Kernel:
    """Nests that share one outlined function; the first one moves into it."""

    nests: list[Nest] = field(default_factory=list[Nest])


def outline_kernels(
    function: func.FuncOp, taken: set[str], *, min_ops: int, dedup: bool
) -> None:
    """Replace the nests of ``function`` by calls of kernels placed after it.

    ``taken`` holds the module's symbol names; the kernels' names join it.
    """
    remat = Rematerializer()
    kernels: list[Kernel] = []
    buckets: dict[Hashable, list[Kernel]] = {}
    for block in function.body.blocks:
        for op in block.ops:
            nest = _nest(op, remat, min_ops)
            if nest is None:
                continue
            candidates = buckets.setdefault(nest.signature, []) if dedup else []
            kernel = next(
                (k for k in candidates if equivalent(nest.flat, k.nests[0].flat)), None
            )
            if kernel is None:
                kernel = Kernel()
                kernels.append(kernel)
                candidates.append(kernel)
            kernel.nests.append(nest)
    where = InsertPoint.after(function)
    numbers = itertools.count()
    for kernel in kernels:
        name = next(
            name
            for number in numbers
            if (name := f"{function.sym_name.data}_kernel_{number}") not in taken
        )
        taken.add(name)
        for nest in kernel.nests:
            call = func.CallOp(name, nest.passed(remat), [])
            Rewriter.insert_op(call, InsertPoint.before(nest.op))
            remat.note_recomputed(nest.free)
        for nest in kernel.nests[1:]:
            Rewriter.erase_op(nest.op)
        outlined = _kernel_function(name, kernel.nests[0], remat)
        outlined.attributes[KERNEL_OF] = function.sym_name
        Rewriter.insert_op(outlined, where)
        where = InsertPoint.after(outlined)
    remat.erase_unused(function)


def _nest(op: Operation, remat: Rematerializer, min_ops: int) -> Nest | None:
    """``op`` as a nest to outline, or None when it stays (module docstring)."""
    if not op.regions or op.results or op.has_trait(IsTerminator):
        return None
    flat = flatten(op)
    if len(flat.ops) < min_ops:
        return None
    arguments = tuple(
        ("value", remat.key(value)) if remat.can(value) else ("argument", value.type)
        for value in flat.free
    )
    return Nest(flat, (flat.shape, arguments))


def _kernel_function(name: str, nest: Nest, remat: Rematerializer) -> func.FuncOp:
    """``func.func private @name`` running ``nest``, moved there, on its arguments."""
    passed = nest.passed(remat)
    block = Block(arg_types=[value.type for value in passed])
    mapping: dict[SSAValue, SSAValue] = {}
    for value, argument in zip(passed, block.args, strict=True):
        argument.name_hint = value.name_hint
        mapping[value] = argument
    for value in nest.free:
        if value not in mapping:
            remat.clone_into(value, block, mapping)
    nest.op.detach()
    for inner in nest.flat.ops:
        if any(operand in mapping for operand in inner.operands):
            inner.operands = [mapping.get(value, value) for value in inner.operands]
    block.add_ops([nest.op, func.ReturnOp()])
    kernel = func.FuncOp(
        name,
        ([value.type for value in passed], []),
        Region(block),
        visibility="private",
    )
    # LLVM must not inline a kernel back into its caller: one function of all the
    # model's code makes LLVM's per-function work (and llvmlite's assertion-enabled
    # verifier, rerun after each loop it vectorizes) grow with the whole model.
    kernel.attributes[NO_INLINE] = UnitAttr()
    return kernel


class Rematerializer:
    """Which free values a kernel recomputes, and how (module docstring)."""

    def __init__(self) -> None:
        self._keys: dict[SSAValue, Hashable | None] = {}
        self._recomputed: set[Operation] = set()

    def can(self, value: SSAValue) -> bool:
        return self.key(value) is not None

    def key(self, value: SSAValue) -> Hashable | None:
        """What determines ``value`` when it can be recomputed, else None: its
        op's name, attributes, properties, result types and operands' keys."""
        if value in self._keys:
            return self._keys[value]
        key = None
        op = value.owner
        if (
            isinstance(op, Operation)
            and not isinstance(value.type, MemRefType)
            and not op.regions
            and is_side_effect_free(op)
        ):
            operands = tuple(self.key(operand) for operand in op.operands)
            if all(k is not None for k in operands):
                key = (
                    op.name,
                    tuple(sorted(op.attributes.items())),
                    tuple(sorted(op.properties.items())),
                    tuple(r.type for r in op.results),
                    op.results.index(value),
                    operands,
                )
        self._keys[value] = key
        return key

    def clone_into(
        self, value: SSAValue, block: Block, mapping: dict[SSAValue, SSAValue]
    ) -> None:
        """Append to ``block`` the ops that recompute ``value``, operands first."""
        op = value.owner
        assert isinstance(op, Operation) and not isinstance(value, BlockArgument)
        for operand in op.operands:
            if operand not in mapping:
                self.clone_into(operand, block, mapping)
        block.add_op(op.clone(value_mapper=mapping))

    def note_recomputed(self, free: list[SSAValue]) -> None:
        """Remember the ops that define the rematerialized ones of an outlined
        nest's free values, operands' ops too: its kernel recomputes them, so
        the function may no longer need them."""
        pending = [value for value in free if self.can(value)]
        while pending:
            op = pending.pop().owner
            assert isinstance(op, Operation)
            if op not in self._recomputed:
                self._recomputed.add(op)
                pending.extend(op.operands)

    def erase_unused(self, function: func.FuncOp) -> None:
        """Erase the ops that outlined nests recompute and that nothing in the
        function uses any more, users first. Every outlined nest counts, also
        those that call another nest's kernel and so were never cloned."""
        for block in function.body.blocks:
            for op in reversed(list(block.ops)):
                if op in self._recomputed and all(
                    not result.uses for result in op.results
                ):
                    Rewriter.erase_op(op)
