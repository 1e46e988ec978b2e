"""loop -> llvm: loops become blocks and branches, vector ops LLVM vectors.

A ``loop.for`` becomes a header block that tests the induction variable and the
loop-carried values as block arguments (phis), as MLIR's SCFToControlFlow does::

    before:   ...                                  llvm.br ^header(%lb, %init)
    ^header(%iv: i64, %acc: f32):                  %go = llvm.icmp "slt" %iv, %ub
                                                   llvm.cond_br %go, ^body, ^after
    ^body:    ... the loop body ...                %next = llvm.add %iv, %step
                                                   llvm.br ^header(%next, %acc2)
    ^after:   ... (the loop's results are ^header's %acc)

A ``loop.parallel`` runs serially here, as a nest of ``loop.for`` (outermost
dimension first), which the pattern above then lowers.

The vector ops map onto LLVM vectors: ``loop.vload``/``vstore`` are one GEP inbounds
and one vector load/store (aligned to the element only, since the lanes start at any
index), ``loop.splat`` is an insertelement + zero shuffle, ``loop.fma`` is
``llvm.intr.fma`` and ``loop.vreduce`` a shuffle tree (see
:func:`~dlc.lowering.llvm_patterns.vectors.reduce_lanes`).

A ``loop.check_index`` is an unsigned compare and a branch to a block that prints
the failed check with ``dprintf`` and calls ``abort``.
"""

from __future__ import annotations

import hashlib

from xdsl.dialects import func, llvm
from xdsl.dialects.builtin import IndexType, ModuleOp, StringAttr, i8, i32, i64
from xdsl.ir import Block, Operation, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import BlockInsertPoint, InsertPoint
from xdsl.traits import SymbolTable

from dlc.dialects import loop
from dlc.lowering.llvm_patterns.conversion import (
    aligned_load,
    aligned_store,
    call_intrinsic,
    cast_back,
    declare_function,
    i32_constant,
    i64_constant,
    icmp,
    is_static_memref,
    llvm_operand,
    llvm_operands,
    replace_op,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern
from dlc.lowering.llvm_patterns.memref import element_address, element_alignment
from dlc.lowering.llvm_patterns.vectors import Combine, reduce_lanes, splat


class ForToLLVM(LoweringPattern):
    """``loop.for`` -> header, body and exit blocks joined by llvm branches."""

    roots = (loop.ForOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, loop.ForOp):
            return
        if isinstance(op.parent_op(), loop.ForOp | loop.ParallelOp):
            # Outer loops first: a loop's body must stay one block until it is
            # lowered, and the walk may reach an inner loop first (the nest that
            # ParallelToFor builds from a loop.parallel around a loop.parallel).
            return
        lb, ub, step = llvm_operands([op.lb, op.ub, op.step], rewriter)
        inits = llvm_operands(op.iter_args, rewriter)
        before = op.parent_block()
        assert before is not None
        after = split_before(op, rewriter)
        header = rewriter.create_block(
            BlockInsertPoint.before(after), [i64, *(v.type for v in inits)]
        )
        body = rewriter.create_block(BlockInsertPoint.before(after))

        for arg, original in zip(header.args, op.body.block.args, strict=True):
            arg.name_hint = original.name_hint
        iv = header.args[0]
        go = icmp("slt", iv, ub)
        rewriter.insert(
            [go, llvm.CondBrOp(go.res, body, [], after, [])], InsertPoint.at_end(header)
        )

        loop_types = [IndexType(), *op.iter_args.types]
        casts, body_values = cast_back(header.args, loop_types)
        rewriter.insert(casts, InsertPoint.at_end(body))
        terminator = op.body.block.last_op
        assert isinstance(terminator, loop.YieldOp)
        rewriter.inline_block(op.body.block, InsertPoint.at_end(body), body_values)
        yielded = llvm_operands(
            terminator.arguments, rewriter, InsertPoint.before(terminator)
        )
        next_iv = llvm.AddOp(iv, step)
        rewriter.replace(
            terminator, [next_iv, llvm.BrOp(header, next_iv.res, *yielded)], []
        )

        rewriter.insert(llvm.BrOp(header, lb, *inits), InsertPoint.at_end(before))
        replace_op(rewriter, op, [], header.args[1:])


class ParallelToFor(LoweringPattern):
    """``loop.parallel`` -> a serial ``loop.for`` nest over its dimensions::

        loop.parallel (%i, %j) = (%a, %b) to (%m, %n) step (%s, %t) { body }

    becomes::

        loop.for %i = %a to %m step %s {
          loop.for %j = %b to %n step %t { body }
        }
    """

    roots = (loop.ParallelOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, loop.ParallelOp):
            return
        loops = [
            loop.ForOp(lb, ub, step)
            for lb, ub, step in zip(
                op.lower_bounds, op.upper_bounds, op.steps, strict=True
            )
        ]
        for outer, inner in zip(loops, loops[1:], strict=False):
            outer.body.block.add_ops([inner, loop.YieldOp()])
        innermost = loops[-1].body.block
        ivs = [nest.induction_var for nest in loops]
        rewriter.inline_block(op.body.block, InsertPoint.at_end(innermost), ivs)
        rewriter.replace(op, loops[0], [])


_COMBINES: dict[str, Combine] = {
    "add": llvm.FAddOp,
    "mul": llvm.FMulOp,
    "max": lambda a, b: call_intrinsic("llvm.maximum", [a, b], a.type),
    "min": lambda a, b: call_intrinsic("llvm.minimum", [a, b], a.type),
}
"""How ``loop.vreduce`` combines two half vectors (max/min propagate NaN)."""


class VectorToLLVM(LoweringPattern):
    """The five loop vector ops -> LLVM vector instructions."""

    roots = (
        loop.VLoadOp,
        loop.VStoreOp,
        loop.SplatOp,
        loop.FmaOp,
        loop.VReduceOp,
    )

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if isinstance(op, loop.VLoadOp | loop.VStoreOp) and not is_static_memref(
            op.base.type
        ):
            return
        if isinstance(op, loop.VLoadOp):
            ops, pointer = element_address(op.base, op.indices, rewriter)
            align = element_alignment(op.base.type)
            load = aligned_load(pointer, op.result.type, align)
            replace_op(rewriter, op, [*ops, load])
        elif isinstance(op, loop.VStoreOp):
            ops, pointer = element_address(op.base, op.indices, rewriter)
            value = llvm_operand(op.value, rewriter)
            store = aligned_store(value, pointer, element_alignment(op.base.type))
            rewriter.replace(op, [*ops, store], [])
        elif isinstance(op, loop.SplatOp):
            scalar = llvm_operand(op.input, rewriter)
            replace_op(rewriter, op, splat(scalar, op.result.type))  # pyright: ignore[reportArgumentType]
        elif isinstance(op, loop.FmaOp):
            lhs, rhs, acc = llvm_operands(op.operands, rewriter)
            replace_op(rewriter, op, [llvm.FMAOp(lhs, rhs, acc)])
        elif isinstance(op, loop.VReduceOp):
            vector: SSAValue = llvm_operand(op.input, rewriter)
            replace_op(rewriter, op, reduce_lanes(vector, _COMBINES[op.kind.data]))


STDERR = 2
"""The file descriptor the failure message of a check goes to, unbuffered."""

_POINTER = llvm.LLVMPointerType()


class CheckIndexToLLVM(LoweringPattern):
    """``loop.check_index`` -> a compare, and a branch to a block that traps::

        loop.check_index %j < 8, "memref.load in @f: index 1 of memref<4x8xf32>"
        ... the rest of the block

    becomes::

        %n = llvm.mlir.constant(8 : i64) : i64
        %ok = llvm.icmp "ult" %j, %n : i64          // false for a negative %j too
        llvm.cond_br %ok, ^rest, ^trap
      ^rest:
        ... the rest of the block
      ^trap:                                        // the function's last block
        %fd = llvm.mlir.constant(2 : i32) : i32
        %text = llvm.mlir.addressof @__dlc_check_<hash> : !llvm.ptr
        %0 = llvm.call @dprintf(%fd, %text, %j) vararg(...) : ...
        llvm.call @abort() : () -> ()
        llvm.unreachable

    where the global holds ``dlc: out-of-bounds memref.load in @f: index 1 of
    memref<4x8xf32> is %lld, expected 0 <= index < 8``. The check waits until
    the loops around it are blocks: a loop body must stay a single block until
    ``loop.for`` is lowered.
    """

    roots = (loop.CheckIndexOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, loop.CheckIndexOp):
            return
        if not isinstance(op.parent_op(), func.FuncOp | llvm.FuncOp):
            return
        index, trap = branch_unless_in_bounds(op, rewriter)
        extent = op.extent.value.data
        message = op.message.data.replace("%", "%%")
        text = f"dlc: out-of-bounds {message} is %lld, expected 0 <= index < {extent}\n"
        address = llvm.AddressOfOp(_string_constant(op, text, rewriter), _POINTER)
        fd = i32_constant(STDERR)
        declare_function(
            op, "dprintf", llvm.LLVMFunctionType([i32, _POINTER], i32, True), rewriter
        )
        declare_function(op, "abort", llvm.LLVMFunctionType([]), rewriter)
        report = llvm.CallOp(
            "dprintf",
            fd.result,
            address.result,
            index,
            return_type=i32,
            variadic_args=1,
        )
        rewriter.insert(
            [fd, address, report, llvm.CallOp("abort"), llvm.UnreachableOp()],
            InsertPoint.at_end(trap),
        )
        rewriter.erase(op)


def branch_unless_in_bounds(
    op: loop.CheckIndexOp, rewriter: PatternRewriter
) -> tuple[SSAValue, Block]:
    """Split ``op``'s block at ``op``: compare its index (as i64) with the extent,
    go on with the rest when in bounds, else branch to a new empty block, which
    the caller fills with how the target fails. Returns the index and that block.
    """
    index = llvm_operand(op.index, rewriter)
    block = op.parent_block()
    assert block is not None and block.parent is not None
    rest = split_before(op, rewriter)
    failure = rewriter.create_block(BlockInsertPoint.at_end(block.parent))
    bound = i64_constant(op.extent.value.data)
    ok = icmp("ult", index, bound.result)
    rewriter.insert(
        [bound, ok, llvm.CondBrOp(ok.res, rest, [], failure, [])],
        InsertPoint.at_end(block),
    )
    return index, failure


def split_before(op: Operation, rewriter: PatternRewriter) -> Block:
    """Move ``op`` and the ops after it to a new block right after ``op``'s block.

    As ``Block.split_before`` does, but without looking up the block's index in
    its region, which takes time linear in the number of blocks: lowering a
    function of many loop nests splits its blocks thousands of times.
    """
    block = op.parent_block()
    assert block is not None
    rest = rewriter.create_block(BlockInsertPoint.after(block))
    moved: list[Operation] = []
    tail: Operation | None = op
    while tail is not None:
        moved.append(tail)
        tail = tail.next_op
    for tail in moved:
        tail.detach()
    rest.add_ops(moved)
    return rest


def _string_constant(anchor: Operation, text: str, rewriter: PatternRewriter) -> str:
    """The name of a private global holding ``text`` as a C string, made once."""
    data = text.encode() + b"\0"
    name = f"__dlc_check_{hashlib.sha256(data).hexdigest()[:16]}"
    if SymbolTable.lookup_symbol(anchor, name) is None:
        module = anchor.get_toplevel_object()
        assert isinstance(module, ModuleOp)
        string = llvm.GlobalOp(
            llvm.LLVMArrayType(len(data), i8),
            name,
            "private",
            constant=True,
            value=StringAttr(text + "\0"),
        )
        rewriter.insert(string, InsertPoint.at_start(module.body.block))
    return name


LOOP_PATTERNS: list[RewritePattern] = [
    ForToLLVM(),
    ParallelToFor(),
    VectorToLLVM(),
    CheckIndexToLLVM(),
]
