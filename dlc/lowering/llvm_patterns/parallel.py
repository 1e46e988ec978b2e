"""loop -> llvm for CPU threads: outline a ``cpu.thread`` loop, call the runtime.

A ``loop.parallel`` whose dimension ``d`` is mapped to ``cpu.thread`` has one task
per iteration of ``d``. Its body moves into a new private function over a range
of tasks, ``void f_parallel0(void *ctx, int64_t begin, int64_t end)``, and the
loop becomes a call of the runtime's ``dlc_parallel_for(fn, ctx, n, threads)``
(docs/runtime.md), which runs contiguous chunks of ``[0, n)`` on its threads::

    func.func @f(%x: memref<64x16xf32>, %y: memref<64x16xf32>) {
      ...
      loop.parallel (%i) = (%c0) to (%c64) step (%c1) mapping [cpu.thread] {
        loop.for %j = %c0 to %c16 step %c1 { ... %x, %y ... }
      } {threads = 2 : i64}
      func.return
    }

becomes::

    func.func @f(%x: memref<64x16xf32>, %y: memref<64x16xf32>) {
      %one = llvm.mlir.constant(1) : i64
      %ctx = llvm.alloca %one x !llvm.struct<(!llvm.ptr, !llvm.ptr)> : ...
      ...
      %e = llvm.mlir.undef : !llvm.struct<(!llvm.ptr, !llvm.ptr)>
      %e0 = llvm.insertvalue %x_ptr, %e[0] : !llvm.struct<(!llvm.ptr, !llvm.ptr)>
      %e1 = llvm.insertvalue %y_ptr, %e0[1] : !llvm.struct<(!llvm.ptr, !llvm.ptr)>
      llvm.store %e1, %ctx : !llvm.struct<(!llvm.ptr, !llvm.ptr)>, !llvm.ptr
      %n = llvm.mlir.constant(64) : i64
      %t = llvm.mlir.constant(2) : i64
      %fn = llvm.mlir.addressof @f_parallel0 : !llvm.ptr
      llvm.call @dlc_parallel_for(%fn, %ctx, %n, %t) : (...) -> ()
      func.return
    }
    func.func private @f_parallel0(%ctx: !llvm.ptr, %begin: index, %end: index) {
      %all = llvm.load %ctx : !llvm.ptr -> !llvm.struct<(!llvm.ptr, !llvm.ptr)>
      %c0 = arith.constant 0 : index          // constants are copied, not passed
      ...
      %x = (field 0 of %all, cast back to memref<64x16xf32>)
      %y = (field 1 of %all, cast back to memref<64x16xf32>)
      loop.for %i = %begin to %end step %c1 {
        loop.for %j = %c0 to %c16 step %c1 { ... %x, %y ... }
      }
      func.return
    }

and the rest of ``loop-to-llvm`` lowers both functions. Values the body uses
from outside are passed in the context struct, a stack slot of the caller
allocated once in its entry block and written and read whole (a field GEP on
an alloca's typed pointer trips llvmlite); constants, globals' addresses and casts of
them are copied into the new function instead, so that LLVM still sees constant
trip counts and sizes there. With a lower bound ``lb`` and step ``s``, task ``t``
is iteration ``lb + t * s``; the other dimensions of the loop become an unmapped
``loop.parallel`` inside the task loop. The ``threads`` annotation (absent: 0,
the runtime's default) is the thread count.

The pattern must come before :class:`~dlc.lowering.llvm_patterns.loop.ParallelToFor`
in a pattern list, which would otherwise run the loop serially.
"""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects import arith, func, llvm, memref
from xdsl.dialects.builtin import (
    DenseArrayBase,
    IndexType,
    IntegerAttr,
    UnrealizedConversionCastOp,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.pattern_rewriter import PatternRewriter, RewritePattern
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import SymbolTable

from dlc.dialects import loop
from dlc.lowering.llvm_patterns.conversion import (
    declare_function,
    i64_constant,
    llvm_operand,
    llvm_type,
)
from dlc.lowering.llvm_patterns.dispatch import LoweringPattern

PARALLEL_FOR = "dlc_parallel_for"
"""The runtime entry ``void dlc_parallel_for(fn, ctx, n, threads)``."""

CONTEXT_ALIGNMENT = 64
"""The context struct's alignment, given to its slot, its store and its load.

Without it LLVM assumes the struct's ABI alignment, 64 bytes or more when it holds
a ``vector<16xf32>``, and stores it with aligned AVX-512 moves into a slot that
xDSL aligns to 32 by default: a crash whenever the stack is not 64-aligned."""

_POINTER = llvm.LLVMPointerType()
_PARALLEL_FOR_TYPE = llvm.LLVMFunctionType([_POINTER, _POINTER, i64, i64])
_COPYABLE = (
    arith.ConstantOp,
    llvm.ConstantOp,
    llvm.ZeroOp,
    llvm.AddressOfOp,
    memref.GetGlobalOp,
)
"""Ops whose value the outlined function recomputes rather than receives."""


class ParallelToRuntime(LoweringPattern):
    """A ``cpu.thread`` loop -> an outlined chunk function + ``dlc_parallel_for``."""

    roots = (loop.ParallelOp,)

    def match_and_rewrite(self, op: Operation, rewriter: PatternRewriter, /) -> None:
        if not isinstance(op, loop.ParallelOp):
            return
        names = op.mapping_names()
        if loop.CPU_THREAD not in names:
            return
        caller = _enclosing_function(op)
        dim = names.index(loop.CPU_THREAD)
        outlined = _outline(op, dim, _fresh_name(caller))
        rewriter.insert(outlined, InsertPoint.after(caller))

        passed = _bring_in_values(outlined, rewriter)
        ctx = _pack_context(op, caller, passed, rewriter)
        tasks = _task_count(op, dim, rewriter)
        threads = op.attributes.get(loop.THREADS)
        thread_count = i64_constant(
            threads.value.data if isinstance(threads, IntegerAttr) else 0
        )
        address = llvm.AddressOfOp(outlined.sym_name.data, _POINTER)
        declare_function(op, PARALLEL_FOR, _PARALLEL_FOR_TYPE, rewriter)
        call = llvm.CallOp(
            PARALLEL_FOR, address.result, ctx, tasks, thread_count.result
        )
        rewriter.insert([thread_count, address, call])
        rewriter.erase(op)


def _enclosing_function(op: Operation) -> func.FuncOp | llvm.FuncOp:
    parent = op.parent_op()
    while not isinstance(parent, func.FuncOp | llvm.FuncOp):
        assert parent is not None, "a loop.parallel is always inside a function"
        parent = parent.parent_op()
    return parent


def _fresh_name(caller: func.FuncOp | llvm.FuncOp) -> str:
    stem = f"{caller.sym_name.data}_parallel"
    number = 0
    while SymbolTable.lookup_symbol(caller, f"{stem}{number}") is not None:
        number += 1
    return f"{stem}{number}"


def _outline(op: loop.ParallelOp, dim: int, name: str) -> func.FuncOp:
    """A function running tasks ``[begin, end)`` of ``op``; takes ``op``'s body.

    The new function still uses values of the caller; :func:`_bring_in_values`
    gives it its own.
    """
    block = Block(arg_types=[_POINTER, IndexType(), IndexType()])
    ctx, begin, end = block.args
    ctx.name_hint, begin.name_hint, end.name_hint = "ctx", "begin", "end"
    one = arith.ConstantOp(IntegerAttr(1, IndexType()))
    tasks = loop.ForOp(begin, end, one.result)
    tasks.induction_var.name_hint = "task"
    body = tasks.body.block
    index = _iteration(tasks.induction_var, op.lower_bounds[dim], op.steps[dim], body)
    original = op.body.block
    index.name_hint = original.args[dim].name_hint
    others = [d for d in range(len(op.lower_bounds)) if d != dim]
    if not others:
        Rewriter.inline_block(original, InsertPoint.at_end(body), [index])
    else:
        inner = loop.ParallelOp(
            [op.lower_bounds[d] for d in others],
            [op.upper_bounds[d] for d in others],
            [op.steps[d] for d in others],
        )
        values: list[SSAValue] = list(inner.induction_vars)
        values.insert(dim, index)
        for value, arg in zip(values, original.args, strict=True):
            value.name_hint = arg.name_hint
        Rewriter.inline_block(original, InsertPoint.at_end(inner.body.block), values)
        body.add_ops([inner, loop.YieldOp()])
    block.add_ops([one, tasks, func.ReturnOp()])
    return func.FuncOp(
        name, ([_POINTER, IndexType(), IndexType()], []), Region(block), "private"
    )


def _iteration(task: SSAValue, lb: SSAValue, step: SSAValue, block: Block) -> SSAValue:
    """``lb + task * step`` at the end of ``block``, folding a 0 and a 1."""
    index = task
    if _constant(step) != 1:
        scaled = arith.MuliOp(index, step)
        block.add_op(scaled)
        index = scaled.result
    if _constant(lb) != 0:
        shifted = arith.AddiOp(lb, index)
        block.add_op(shifted)
        index = shifted.result
    return index


def _constant(value: SSAValue) -> int | None:
    """An integer constant's value, seen through casts and either dialect."""
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp):
        return _constant(owner.inputs[0])
    if isinstance(owner, arith.ConstantOp | llvm.ConstantOp) and isinstance(
        owner.value, IntegerAttr
    ):
        return owner.value.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return None


def _bring_in_values(
    outlined: func.FuncOp, rewriter: PatternRewriter
) -> list[SSAValue]:
    """Give ``outlined`` its own copy of every value it uses from outside.

    Constants (and casts of them) are copied into it; every other value is
    loaded from the context struct. Returns the loaded values, in field order.
    """
    entry = outlined.body.block
    outside = _values_from_outside(outlined)
    copies: dict[SSAValue, SSAValue] = {}
    passed = [value for value in outside if not _is_copyable(value)]
    context = llvm.LoadOp(
        entry.args[0], _context_type(passed), alignment=CONTEXT_ALIGNMENT
    )
    preamble: list[Operation] = [context] if passed else []
    for value in outside:
        if _is_copyable(value):
            inner = _copy_value(value, copies, preamble)
        else:
            position = DenseArrayBase.from_list(i64, [passed.index(value)])
            field = llvm.ExtractValueOp(
                position, context.dereferenced_value, llvm_type(value.type)
            )
            preamble.append(field)
            inner = field.res
            inner.name_hint = value.name_hint
            if inner.type != value.type:
                cast, inner = UnrealizedConversionCastOp.cast_one(inner, value.type)
                preamble.append(cast)
        inner.name_hint = value.name_hint
        rewriter.replace_uses_with_if(
            value, inner, lambda use: outlined.is_ancestor(use.operation)
        )
    rewriter.insert(preamble, InsertPoint.at_start(entry))
    return passed


def _values_from_outside(outlined: func.FuncOp) -> list[SSAValue]:
    """The values ``outlined`` uses but does not define, in order of first use."""
    seen: dict[SSAValue, None] = {}
    for op in outlined.walk():
        for operand in op.operands:
            owner = operand.owner
            defining = owner if isinstance(owner, Operation) else owner.parent_op()
            if defining is None or not outlined.is_ancestor(defining):
                seen.setdefault(operand, None)
    return list(seen)


def _is_copyable(value: SSAValue) -> bool:
    owner = value.owner
    if isinstance(owner, UnrealizedConversionCastOp):
        return _is_copyable(owner.inputs[0])
    return isinstance(owner, _COPYABLE)


def _copy_value(
    value: SSAValue, copies: dict[SSAValue, SSAValue], ops: list[Operation]
) -> SSAValue:
    """The value of a copy of ``value``'s defining op (and its operands' ops)."""
    if value in copies:
        return copies[value]
    owner = value.owner
    assert isinstance(owner, Operation)
    operands = [_copy_value(v, copies, ops) for v in owner.operands]
    clone = owner.clone()
    for position, operand in enumerate(operands):
        clone.operands[position] = operand
    ops.append(clone)
    for old, new in zip(owner.results, clone.results, strict=True):
        copies[old] = new
    return copies[value]


def _context_type(passed: Sequence[SSAValue]) -> llvm.LLVMStructType:
    return llvm.LLVMStructType.from_type_list([llvm_type(v.type) for v in passed])


def _pack_context(
    op: loop.ParallelOp,
    caller: func.FuncOp | llvm.FuncOp,
    passed: Sequence[SSAValue],
    rewriter: PatternRewriter,
) -> SSAValue:
    """Store ``passed`` into a stack struct of ``caller``; a null pointer if none.

    The struct's slot is allocated in the entry block, once per call of the
    caller, however often the loop runs.
    """
    if not passed:
        null = llvm.ZeroOp(result_types=[_POINTER])
        rewriter.insert(null)
        return null.res
    struct = _context_type(passed)
    one = i64_constant(1)
    slot = llvm.AllocaOp(one.result, struct, alignment=CONTEXT_ALIGNMENT)
    slot.res.name_hint = "ctx"
    rewriter.insert([one, slot], InsertPoint.at_start(caller.body.blocks[0]))
    context: SSAValue = rewriter.insert(llvm.UndefOp(struct)).res
    for field, value in enumerate(passed):
        position = DenseArrayBase.from_list(i64, [field])
        value = llvm_operand(value, rewriter)
        context = rewriter.insert(llvm.InsertValueOp(position, context, value)).res
    rewriter.insert(llvm.StoreOp(context, slot.res, alignment=CONTEXT_ALIGNMENT))
    return slot.res


def _task_count(op: loop.ParallelOp, dim: int, rewriter: PatternRewriter) -> SSAValue:
    """``ceil((ub - lb) / step)`` of dimension ``dim``, as an i64."""
    lb, ub, step = op.lower_bounds[dim], op.upper_bounds[dim], op.steps[dim]
    lower, upper, stride = _constant(lb), _constant(ub), _constant(step)
    if lower is not None and upper is not None and stride is not None:
        trips = max(0, -(-(upper - lower) // stride))
        return rewriter.insert(i64_constant(trips)).result
    lower, upper, stride = (llvm_operand(v, rewriter) for v in (lb, ub, step))
    one = i64_constant(1)
    span = llvm.SubOp(upper, lower)
    rounded = llvm.SubOp(stride, one.result)
    padded = llvm.AddOp(span.res, rounded.res)
    count = llvm.SDivOp(padded.res, stride)
    rewriter.insert([one, span, rounded, padded, count])
    return count.res


PARALLEL_PATTERNS: list[RewritePattern] = [ParallelToRuntime()]
