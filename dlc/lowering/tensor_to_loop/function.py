"""Bufferize one function: tensors become buffers, results become out-parameters.

The function takes a memref per tensor argument, then one out buffer per tensor
result, which the caller provides (destination-passing style); ``func.return``
keeps only non-tensor results. Every tensor value gets a buffer:

* an argument: its memref argument;
* a constant: a ``memref.get_global`` (:mod:`.constants`);
* a compute: the out buffer of the first result that returns it, so it is written
  in place; otherwise a ``memref.alloc``, with a ``memref.dealloc`` right after the
  last op that reads it.

A compute with ``compute_at`` is built inside the loop nest of its host, when the
host is lowered (:func:`.compute.lower_compute`); where its buffer is freed is
decided by its host's place, and so is that of every tensor it reads. Its buffer
holds one slice (the dims after its depth, :func:`.compute.row_buffer_dims`) unless
the host's outer loops are parallel.

A result whose buffer is not its out buffer (a returned argument or constant, a
value returned twice) is copied into it by a loop nest just before the return.
The caller's buffers must not overlap.
"""

from __future__ import annotations

from typing import TypeGuard

from xdsl.builder import Builder
from xdsl.dialects import arith, func, memref
from xdsl.dialects.builtin import (
    ArrayAttr,
    DictionaryAttr,
    FunctionType,
    MemRefType,
    TensorType,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.rewriter import InsertPoint, Rewriter

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects.tensor import ComputeOp, ReadOp, compute_at_host
from dlc.lowering.tensor_to_loop.compute import (
    check_schedule,
    copy_buffer,
    lower_compute,
    row_buffer_dims,
)
from dlc.lowering.tensor_to_loop.constants import (
    ConstantGlobals,
    ScalarConstants,
    buffer_type,
)
from dlc.lowering.tensor_to_loop.equal_computes import EqualComputes


def _is_tensor_constant(op: Operation) -> TypeGuard[arith.ConstantOp]:
    return isinstance(op, arith.ConstantOp) and isinstance(op.result.type, TensorType)


def _uses_tensors(op: Operation) -> bool:
    return any(
        isinstance(value.type, TensorType) for value in (*op.operands, *op.results)
    )


def _error(op: Operation, message: str) -> DiagnosticError:
    return DiagnosticError(f"tensor-to-loop: {message}", SourceLocation.of(op.location))


def _argument_type(t: Attribute) -> Attribute:
    """A tensor argument becomes its buffer; anything else stays as it is."""
    return buffer_type(t) if isinstance(t, TensorType) else t


def _check_bufferizable(function: func.FuncOp) -> None:
    """Report, before changing anything, what this lowering cannot handle."""
    for t in (*function.function_type.inputs, *function.function_type.outputs):
        if isinstance(t, TensorType) and not t.has_static_shape():
            raise _error(function, f"@{function.sym_name.data} has a dynamic {t}")
    if function.is_declaration:
        return
    if len(function.body.blocks) != 1:
        raise _error(function, "a function on tensors must have a single block")
    block = function.body.block
    for op in function.body.walk():
        parent = op.parent_op()
        if op.parent_block() is block and (
            isinstance(op, ComputeOp | func.ReturnOp) or _is_tensor_constant(op)
        ):
            if isinstance(op, ComputeOp):
                check_schedule(op)
            continue
        if isinstance(op, ReadOp) and isinstance(parent, ComputeOp):
            if parent.parent_block() is block:
                continue
        if isinstance(op, ComputeOp | ReadOp):
            where = "nothing" if parent is None else parent.name
            raise _error(
                op,
                f"cannot lower '{op.name}' nested in '{where}'; "
                "computes must be in the function body and reads directly in a "
                "compute body",
            )
        if _uses_tensors(op):
            raise _error(
                op,
                f"cannot bufferize '{op.name}': only tensor.compute, tensor-typed "
                "arith.constant and func.return may use or produce tensors",
            )


def _erase_dead_values(block: Block) -> None:
    """Drop computes and constants nothing reads, consumers first."""
    for op in reversed(list(block.ops)):
        is_value = isinstance(op, ComputeOp) or _is_tensor_constant(op)
        if is_value and not op.results[0].uses:
            Rewriter.erase_op(op)


def bufferize_function(function: func.FuncOp, globals_: ConstantGlobals) -> None:
    """Rewrite ``function`` from tensors to buffers; see the module docstring."""
    _check_bufferizable(function)
    inputs = function.function_type.inputs.data
    outputs = function.function_type.outputs.data
    if not any(isinstance(t, TensorType) for t in (*inputs, *outputs)):
        return
    out_types = {
        position: buffer_type(t)
        for position, t in enumerate(outputs)
        if isinstance(t, TensorType)
    }
    function.properties["function_type"] = FunctionType.from_lists(
        [*(_argument_type(t) for t in inputs), *out_types.values()],
        [t for t in outputs if not isinstance(t, TensorType)],
    )
    if function.arg_attrs is not None:
        empty = [DictionaryAttr({})] * len(out_types)
        function.arg_attrs = ArrayAttr([*function.arg_attrs.data, *empty])
    if function.res_attrs is not None:
        function.res_attrs = ArrayAttr(
            attrs
            for attrs, t in zip(function.res_attrs.data, outputs, strict=True)
            if not isinstance(t, TensorType)
        )
    if not function.is_declaration:
        _bufferize_body(function, out_types, globals_)


def _bufferize_body(
    function: func.FuncOp,
    out_types: dict[int, MemRefType],
    globals_: ConstantGlobals,
) -> None:
    """Lower the ops of the body in order, given the out buffer type per result."""
    block = function.body.block
    _erase_dead_values(block)
    old_args = list(block.args)
    buffers: dict[SSAValue, SSAValue] = {}
    for arg in old_args:
        new_arg = block.insert_arg(_argument_type(arg.type), len(block.args))
        new_arg.name_hint = arg.name_hint
        if isinstance(arg.type, TensorType):
            buffers[arg] = new_arg
        else:
            arg.replace_all_uses_with(new_arg)
    out_buffers: dict[int, SSAValue] = {}
    for position, out_type in out_types.items():
        out_buffers[position] = block.insert_arg(out_type, len(block.args))
        out_buffers[position].name_hint = f"out{position}"

    ops = list(block.ops)
    returned = block.last_op
    assert isinstance(returned, func.ReturnOp)
    for position, out in out_buffers.items():
        value = returned.arguments[position]
        if isinstance(value.owner, ComputeOp) and value not in buffers:
            buffers[value] = out

    hosts = _hosts(ops)
    deallocs = _deallocation_points(ops, block, buffers, hosts)
    nested: dict[Operation, list[ComputeOp]] = {}
    for op in ops:
        if isinstance(op, ComputeOp) and op in hosts:
            nested.setdefault(hosts[op], []).append(op)
    constants = ScalarConstants(block)
    equal = EqualComputes(
        [
            op
            for op in ops
            if isinstance(op, ComputeOp) and op not in hosts and op not in nested
        ]
    )
    for op in ops:
        builder = Builder(InsertPoint.before(op))
        if isinstance(op, ComputeOp):
            if op.result not in buffers:
                alloc = memref.AllocOp([], [], _buffer_type(op, hosts.get(op)))
                alloc.memref.name_hint = op.result.name_hint
                buffers[op.result] = builder.insert(alloc).memref
            if op in nested:
                lower_compute(
                    op, buffers[op.result], builder, buffers, constants, nested[op]
                )
            elif op not in hosts:
                equal.lower(op, buffers[op.result], builder, buffers, constants)
        elif _is_tensor_constant(op):
            get = builder.insert(globals_.get_global(op, function))
            buffers[op.result] = get.memref
        elif op is returned:
            for position, out in out_buffers.items():
                source = buffers[returned.arguments[position]]
                if source is not out:
                    shape = out_types[position].get_shape()
                    copy_buffer(builder, source, out, shape, constants)
        for value in deallocs.get(op, []):
            builder.insert(memref.DeallocOp.get(buffers[value]))
        if op is returned:
            kept = [v for p, v in enumerate(returned.arguments) if p not in out_buffers]
            builder.insert(func.ReturnOp(*kept))

    for op in reversed(ops):
        if isinstance(op, ComputeOp) or _is_tensor_constant(op) or op is returned:
            Rewriter.erase_op(op)
    for arg in old_args:
        block.erase_arg(arg)


def _buffer_type(compute: ComputeOp, host: Operation | None) -> MemRefType:
    """The temporary of ``compute``: one slice of it if it is computed at a host."""
    full = buffer_type(compute.result.type)
    if not isinstance(host, ComputeOp):
        return full
    dropped = row_buffer_dims(compute, host)
    return MemRefType(full.element_type, full.get_shape()[dropped:])


def _hosts(ops: list[Operation]) -> dict[Operation, Operation]:
    """The host of every computed-at compute: the compute whose nest it runs in."""
    hosts: dict[Operation, Operation] = {}
    for op in ops:
        if isinstance(op, ComputeOp) and op.computed_at is not None:
            host = compute_at_host(op)
            assert host is not None, "the verifier ensures compute_at has a host"
            hosts[op] = host
    return hosts


def _deallocation_points(
    ops: list[Operation],
    block: Block,
    buffers: dict[SSAValue, SSAValue],
    hosts: dict[Operation, Operation],
) -> dict[Operation, list[SSAValue]]:
    """For each top-level op, the computes whose temporaries die after it.

    A compute written into an out buffer (already in ``buffers``) needs none. A
    read in a computed-at compute happens when its host runs.
    """
    position = {op: index for index, op in enumerate(ops)}
    points: dict[Operation, list[SSAValue]] = {}
    for op in ops:
        if not isinstance(op, ComputeOp) or op.result in buffers:
            continue
        ancestors = [
            block.find_ancestor_op_in_block(use.operation) for use in op.result.uses
        ]
        assert None not in ancestors
        users = [hosts.get(user, user) for user in ancestors if user is not None]
        last = max(users, key=position.__getitem__, default=hosts.get(op, op))
        points.setdefault(last, []).append(op.result)
    return points
