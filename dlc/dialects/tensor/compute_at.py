"""``compute_at``: evaluating a compute inside the loop nest of the computes reading it.

A compute P with ``compute_at d`` has no loop nest of its own. It runs inside the loop
nest of its *host* H, once H's first d loops are open, and computes the slice
``P[h0, ..., h(d-1), *]`` for the current values of those loops, right before H's
loop d (Halide's ``P.compute_at(H, loop d)``, TVM's ``s[P].compute_at(s[H], axis)``)::

    %max = tensor.compute (%i, %u) reduce max (%j) in [5] init 0xFF800000
             compute_at 1 : tensor<2x1xf32> { ... read %x[%i, %j] ... }
    %y = tensor.compute (%i, %j) : tensor<2x5xf32> {
      %m = tensor.read %max[%i, %c0] : tensor<2x1xf32>
      ...
    }

runs as ``for i: { max[i, 0] = ...; for j: y[i, j] = ... }``: one loop nest over rows
instead of two passes over the whole tensor. That is how a softmax or a layer norm
becomes a row-wise kernel.

The host follows from the uses, so the depth is the only property: every use of P is
a ``tensor.read`` directly in a compute U of the same block, where U is either the
host (it has no ``compute_at``) or is itself computed at a depth of at least d in
the same host. For the slice computed to be the one each read needs, every read
indexes P's dims ``k < d`` by U's output index k, and P's first d dims have the
host's extents. The depth changes where the values are computed, never what they
are: the interpreter ignores it.
"""

from __future__ import annotations

from xdsl.ir import Block, BlockArgument, SSAValue
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.tensor.compute import ComputeOp, enclosing_compute
from dlc.dialects.tensor.read import ReadOp


def reading_computes(compute: ComputeOp) -> list[tuple[ReadOp, ComputeOp]] | None:
    """Each use of the result as (read, compute whose body or epilogue holds it).

    None when some use is not a read directly in a compute of the same block.
    """
    readers: list[tuple[ReadOp, ComputeOp]] = []
    for use in compute.result.uses:
        read = use.operation
        reader = enclosing_compute(read)
        if (
            not isinstance(read, ReadOp)
            or reader is None
            or read.parent_op() is not reader
            or reader.parent_block() is not compute.parent_block()
        ):
            return None
        readers.append((read, reader))
    return readers


def compute_at_host(compute: ComputeOp) -> ComputeOp | None:
    """The compute whose loop nest ``compute`` runs in: itself without compute_at.

    For a computed-at compute, the host of the computes that read it (they all have
    the same one in verified IR); None when a read is not where the verifier wants
    it.
    """
    seen: set[ComputeOp] = set()
    current = compute
    while current.computed_at is not None:
        readers = reading_computes(current)
        if not readers or current in seen:
            return None
        seen.add(current)
        current = readers[0][1]
    return current


def reads_own_slice(read: ReadOp, depth: int) -> bool:
    """Whether ``read`` indexes dims ``k < depth`` by its compute's output index k."""
    block = read.parent_block()
    if len(read.indices) < depth:
        return False
    return all(
        _is_argument(index, block, k) for k, index in enumerate(read.indices[:depth])
    )


def _is_argument(index: SSAValue, block: Block | None, position: int) -> bool:
    return (
        isinstance(index, BlockArgument)
        and index.block is block
        and index.index == position
    )


def verify_compute_at(compute: ComputeOp) -> None:
    """Check the conditions of the module docstring; raise VerifyException if not."""
    depth = compute.computed_at
    assert depth is not None
    shape = compute.output_shape
    if not 1 <= depth <= len(shape):
        raise VerifyException(
            f"tensor.compute: compute_at depth {depth} must be between 1 and the "
            f"rank {len(shape)} of the result {compute.result.type}"
        )
    readers = reading_computes(compute)
    if readers is None:
        raise VerifyException(
            "tensor.compute: compute_at needs every use of the result to be a "
            "tensor.read directly in a tensor.compute of the same block"
        )
    if not readers:
        raise VerifyException(
            "tensor.compute: compute_at needs a compute that reads the result, to "
            "run in its loop nest, but the result is unused"
        )
    hosts: set[ComputeOp] = set()
    for read, reader in readers:
        reader_depth = reader.computed_at
        if reader_depth is not None and reader_depth < depth:
            raise VerifyException(
                f"tensor.compute: compute_at {depth} is deeper than compute_at "
                f"{reader_depth} of a compute that reads the result"
            )
        if not reads_own_slice(read, depth):
            raise VerifyException(
                f"tensor.compute: compute_at {depth} needs every read of the result "
                f"to index its first {depth} dims by the reading compute's first "
                f"{depth} output indices, in order"
            )
        host = compute_at_host(reader)
        if host is not None:
            hosts.add(host)
    if len(hosts) > 1:
        raise VerifyException(
            f"tensor.compute: compute_at needs every compute reading the result to "
            f"run in one loop nest, but they run in {len(hosts)}"
        )
    for host in hosts:
        if host.output_shape[:depth] != shape[:depth]:
            raise VerifyException(
                f"tensor.compute: compute_at {depth} needs the first {depth} dims of "
                f"the result {compute.result.type} to be those of the compute it "
                f"runs in, {host.result.type}"
            )
