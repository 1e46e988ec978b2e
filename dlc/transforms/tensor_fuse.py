"""tensor-fuse: fewer, bigger computes, without computing anything twice that costs.

nn-to-tensor writes one compute per step of each nn op, so a dense layer with a bias
and a relu is three loop nests and two temporaries. This pass merges them, in the
three ways docs/fusion.md describes:

1. **Epilogues**: an elementwise consumer that reads a reduction only at its own
   output point, the reduction's only reader, becomes the reduction's epilogue
   (bias, activation, residual add, scale after a matmul or a convolution).
2. **Inlining** (TVM's ``compute_inline``): a reduction-free producer's body is
   cloned into the reads of its consumers (:func:`inline_producer`), and the
   producer disappears. It is done when nothing is computed twice (every element
   is read once), when the producer only moves data (reads, index arithmetic,
   selects: transposes, reshapes, broadcasts, pads), or, for consumers without a
   reduction, when the producer is cheap (at most ``max-recompute-ops`` arithmetic
   ops, and no division or ``math`` op). A producer is never recomputed at every
   step of a reduction (a relu into the next matmul would run N times per element),
   and a read that runs more times than the producer has elements (a convolution's
   or a pool's window, a broadcast) only gets a producer that is one load at other
   indices (a transpose, a pad): a concatenation's select would run at every tap,
   and make a convolution's kernel step aside.
3. **Rows** (``compute_at``): the statistics of a softmax or a normalization (a
   reduction to one value per row) and the elementwise steps between them run
   inside the loop nest of the elementwise compute that consumes them, one row at a
   time.

Steps 1 and 2 repeat until neither changes anything (inlining can make a consumer
read a reduction only at its output point), each round starting from IR that
``canonicalize`` and ``cse`` would not change; then step 3 runs once.

A dense layer with a bias and a relu::

    %h = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
      ... x[i, k] * w[k, j] ...
    }
    %b1 = tensor.compute (%i, %j) : tensor<4x5xf32> { h[i, j] + b[j] }
    %r = tensor.compute (%i, %j) : tensor<4x5xf32> { max(b1[i, j], 0) }

becomes one compute::

    %r = tensor.compute (%i, %j) reduce add (%k) in [3] init 0.0 : tensor<4x5xf32> {
      ... x[i, k] * w[k, j] ...
    } epilogue {
    ^bb0(%i_1: index, %j_1: index, %acc: f32):
      ... max(acc + b[j], 0) ...
    }

and a softmax's max, exp and sum get ``compute_at 1`` in the divide's nest. Options
(``dlc-opt -p 'tensor-fuse{epilogues=false}'``): ``inline-elementwise``,
``epilogues`` and ``rows`` turn each step on or off; ``max-recompute-ops`` bounds
the producers that may be computed at several reads.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from xdsl.context import Context
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    IndexType,
    IntegerAttr,
    IntegerType,
    ModuleOp,
    i64,
)
from xdsl.ir import Block, Operation, Region, SSAValue
from xdsl.passes import ModulePass
from xdsl.pattern_rewriter import (
    GreedyRewritePatternApplier,
    PatternRewriter,
    PatternRewriteWalker,
)
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.transforms.common_subexpression_elimination import cse

from dlc.dialects.tensor import (
    ComputeOp,
    ReadOp,
    YieldOp,
    compute_at_host,
    enclosing_compute,
)
from dlc.dialects.tensor.canonicalize import (
    FoldIdentityCompute,
    FoldReadOfUniformCompute,
)
from dlc.dialects.tensor.compute import INTEGER_DIVISIONS
from dlc.dialects.tensor.compute_at import reading_computes, reads_own_slice
from dlc.dialects.tensor.inlining import inline_producer


@dataclass(frozen=True)
class TensorFusePass(ModulePass):
    """Fold consumers into epilogues, inline producers, compute statistics at rows."""

    name = "tensor-fuse"

    inline_elementwise: bool = True
    """Inline reduction-free producers into their consumers (step 2)."""

    epilogues: bool = True
    """Fold an elementwise consumer into the reduction it reads (step 1)."""

    rows: bool = True
    """Run row statistics inside the loop nest of their consumer (step 3)."""

    max_recompute_ops: int = 4
    """The most arithmetic ops a producer computed at several reads may have."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        for block in _blocks_with_computes(op):
            fused = self.epilogues or self.inline_elementwise
            while fused:
                remove_redundant_computes(block)
                fused = self.epilogues and fuse_epilogues(block)
                if self.inline_elementwise:
                    fused = inline_producers(block, self.max_recompute_ops) or fused
            if self.rows:
                compute_rows_at(block)


def _blocks_with_computes(module: ModuleOp) -> list[Block]:
    """The blocks holding computes that are not inside another compute."""
    blocks: dict[Block, None] = {}
    for op in module.walk():
        block = op.parent_block()
        if isinstance(op, ComputeOp) and block and enclosing_compute(op) is None:
            blocks[block] = None
    return list(blocks)


def _computes(block: Block) -> list[ComputeOp]:
    return [op for op in block.ops if isinstance(op, ComputeOp)]


def remove_redundant_computes(block: Block) -> None:
    """Fold identity copies and reads of uniform computes, then ``cse``.

    Every step decides on IR that ``canonicalize`` and ``cse`` would leave alone,
    so that fusing again after them, or after fusion itself, changes nothing: two
    identical reads merged by ``cse`` are one read, which may make a producer read
    once.
    """
    region = block.parent
    assert region is not None
    PatternRewriteWalker(
        GreedyRewritePatternApplier([FoldIdentityCompute(), FoldReadOfUniformCompute()])
    ).rewrite_region(region)
    cse(block)


# --- Step 1: epilogues ---------------------------------------------------------------


def epilogue_target(consumer: ComputeOp) -> ComputeOp | None:
    """The reduction ``consumer`` can become the epilogue of, if there is one.

    ``consumer`` has no reduction and reads the reduction only at its own output
    point; the reduction has the same type, nothing else reads it, and it has its
    own loop nest.
    """
    if consumer.has_reduction or consumer.computed_at is not None:
        return None
    for op in consumer.body.block.ops:
        if not isinstance(op, ReadOp):
            continue
        reduction = op.tensor.owner
        if (
            isinstance(reduction, ComputeOp)
            and reduction.has_reduction
            and reduction.computed_at is None
            and reduction.parent_block() is consumer.parent_block()
            and reduction.result.type == consumer.result.type
            and _read_only_at_output_point(reduction, consumer)
        ):
            return reduction
    return None


def _read_only_at_output_point(reduction: ComputeOp, consumer: ComputeOp) -> bool:
    return all(
        isinstance(use.operation, ReadOp)
        and use.operation.parent_block() is consumer.body.block
        and tuple(use.operation.indices) == consumer.output_indices
        for use in reduction.result.uses
    )


def fold_into_epilogue(reduction: ComputeOp, consumer: ComputeOp) -> ComputeOp:
    """A copy of ``reduction`` whose epilogue also computes ``consumer``'s body.

    The copy replaces ``consumer`` (at its place, so that the epilogue sees every
    value the consumer saw); both originals are erased. An epilogue the reduction
    already has runs first.
    """
    rank = len(consumer.output_shape)
    block = Block(arg_types=[*[IndexType()] * rank, consumer.element_type])
    names = zip(consumer.output_indices, reduction.output_indices, strict=True)
    for arg, (index, reduction_index) in zip(block.args, names, strict=False):
        arg.name_hint = index.name_hint or reduction_index.name_hint
    block.args[rank].name_hint = "acc"
    folded: SSAValue = block.args[rank]
    if reduction.epilogue is not None:
        folded = _clone_into(block, reduction.epilogue.block, list(block.args), {})
    mapping: dict[SSAValue, SSAValue] = {}
    for op in consumer.body.block.ops:
        if isinstance(op, ReadOp) and op.tensor == reduction.result:
            mapping[op.result] = folded
    value = _clone_into(block, consumer.body.block, block.args[:rank], mapping)
    block.add_op(YieldOp(value))
    fused = ComputeOp.create(
        result_types=[reduction.result.type],
        properties=dict(reduction.properties),
        attributes=dict(reduction.attributes),
        regions=[reduction.body.clone(), Region(block)],
    )
    fused.result.name_hint = consumer.result.name_hint or reduction.result.name_hint
    Rewriter.insert_op(fused, InsertPoint.before(consumer))
    consumer.result.replace_all_uses_with(fused.result)
    Rewriter.erase_op(consumer)
    Rewriter.erase_op(reduction)
    return fused


def _clone_into(
    target: Block,
    source: Block,
    arguments: list[SSAValue] | tuple[SSAValue, ...],
    mapping: dict[SSAValue, SSAValue],
) -> SSAValue:
    """Clone ``source``'s ops but its yield into ``target``; return the yielded value.

    ``source``'s arguments become ``arguments``; values already in ``mapping`` are
    not cloned (their ops are skipped) but replaced.
    """
    mapping.update(zip(source.args, arguments, strict=True))
    for op in source.ops:
        if isinstance(op, YieldOp):
            return mapping.get(op.value, op.value)
        if op.results and all(result in mapping for result in op.results):
            continue
        target.add_op(op.clone(mapping))
    raise AssertionError("the verifier ensures a block ends with tensor.yield")


def fuse_epilogues(block: Block) -> bool:
    """Fold each consumer that :func:`epilogue_target` accepts into its reduction.

    Consumers go in block order, so a chain of them (bias, then activation) folds
    into one epilogue. Returns whether anything was folded.
    """
    folded = False
    for consumer in _computes(block):
        reduction = epilogue_target(consumer)
        if reduction is not None:
            fold_into_epilogue(reduction, consumer)
            folded = True
    return folded


# --- Step 2: inlining ----------------------------------------------------------------


@dataclass(frozen=True)
class _Read:
    """A read of a producer, and how many times it runs."""

    read: ReadOp
    consumer: ComputeOp
    per_reduction_step: bool
    """Whether it runs at every point of the consumer's reduction domain."""

    @property
    def count(self) -> int:
        points = math.prod(self.consumer.output_shape)
        if self.per_reduction_step:
            points *= math.prod(self.consumer.reduction_extents)
        return points


def _reads(producer: ComputeOp) -> tuple[list[_Read], bool]:
    """The reads of ``producer``'s result, and whether it has other uses too."""
    reads: list[_Read] = []
    other_uses = False
    for use in producer.result.uses:
        read = use.operation
        consumer = enclosing_compute(read)
        if not isinstance(read, ReadOp) or consumer is None:
            other_uses = True
            continue
        epilogue = consumer.epilogue
        in_epilogue = epilogue is not None and read.parent_block() is epilogue.block
        reads.append(_Read(read, consumer, consumer.has_reduction and not in_epilogue))
    return reads, other_uses


_EXPENSIVE = (arith.DivfOp, *INTEGER_DIVISIONS)
"""Scalar ops on data that cost like a transcendental function; so does every math
op. (Divisions of indices are cheap: the divisor is a constant.)"""


def op_cost(op: Operation) -> float:
    """The cost of one body op: 0 for data movement, inf for what is never recomputed.

    Reads, constants, selects and index arithmetic only say where data comes from:
    they are free. Index divisions cost 1 (a multiply and a shift). Divisions of
    data and ``math`` ops (exp, tanh, erf, rsqrt, ...) are expensive: a producer
    that has one is never computed twice.
    """
    if isinstance(op, ReadOp | YieldOp | arith.ConstantOp | arith.SelectOp):
        return 0
    results_are_indices = all(
        isinstance(r.type, IndexType) or r.type == IntegerType(1) for r in op.results
    )
    if op.name.startswith("arith.") and op.results and results_are_indices:
        return 1 if isinstance(op, INTEGER_DIVISIONS) else 0
    if op.name.startswith("math.") or isinstance(op, _EXPENSIVE):
        return math.inf
    return 1


def body_cost(compute: ComputeOp) -> float:
    """The cost of computing one element: the sum of its ops' costs."""
    return sum(op_cost(op) for op in compute.walk() if op is not compute)


def _reads_computed_at(compute: ComputeOp) -> bool:
    return any(
        isinstance(op, ReadOp)
        and isinstance(op.tensor.owner, ComputeOp)
        and op.tensor.owner.computed_at is not None
        for op in compute.walk()
    )


def should_inline(producer: ComputeOp, max_recompute_ops: int) -> bool:
    """The inlining rule of docs/fusion.md, for every read of ``producer`` at once."""
    if producer.has_reduction or producer.computed_at is not None:
        return False
    if _reads_computed_at(producer):
        return False
    reads, other_uses = _reads(producer)
    if not reads:
        return False
    per_step = any(r.per_reduction_step for r in reads)
    size = math.prod(producer.output_shape)
    evaluations = sum(r.count for r in reads) + (size if other_uses else 0)
    if evaluations <= size:
        return True  # nothing is computed twice
    if is_index_map(producer):
        return True  # one load from elsewhere: recomputing it is loading again
    if any(r.count > size for r in reads):
        return False  # a window, a reduction or a broadcast would recompute it
    cost = body_cost(producer)
    if cost == 0:
        return True  # data movement: recomputing it is only loading again
    return not per_step and cost <= max_recompute_ops


def is_index_map(compute: ComputeOp) -> bool:
    """Whether ``compute``'s element is one read of another tensor, at indices
    computed without divisions (a transpose, a broadcast, a pad, a slice, a
    reshape that pairs dims): inlined, it is a load at other indices."""
    reads = 0
    for op in compute.walk():
        if op is compute:
            continue
        if isinstance(op, ReadOp):
            reads += 1
        elif isinstance(op, arith.SelectOp) or op_cost(op) != 0:
            return False
    return reads == 1


def inline_producers(block: Block, max_recompute_ops: int) -> bool:
    """Inline every producer of ``block`` that :func:`should_inline` accepts.

    Producers go in block order, so a chain collapses front to back and each
    decision sees the producer's body with its own producers already inlined.
    Returns whether anything was inlined.
    """
    inlined = False
    for producer in _computes(block):
        if not should_inline(producer, max_recompute_ops):
            continue
        for read in _reads(producer)[0]:
            inline_producer(read.read, PatternRewriter(read.read))
        if not producer.result.uses:
            Rewriter.erase_op(producer)
        inlined = True
    return inlined


# --- Step 3: rows ---------------------------------------------------------------------


def compute_rows_at(block: Block) -> None:
    """Give ``compute_at`` depths to the row statistics of ``block`` and their steps.

    A compute joins the loop nest of an elementwise host when every compute reading
    it is that host or has joined it, each read indexes its first d dims by the
    reader's first d output indices, and its first d dims are the host's. A
    reduction joins only if it is a row statistic (one value per row: its dims after
    the d-th are 1s), and a nest is formed only around at least one statistic, so
    matmuls and plain elementwise chains keep their own nests.

    Identity copies and identical computes are removed first (they would be folded
    after fusion, and a merged compute could be read from two nests).
    """
    remove_redundant_computes(block)
    joined: dict[ComputeOp, tuple[ComputeOp, int]] = {}
    for producer in reversed(_computes(block)):
        place = _row_place(producer, joined)
        if place is not None:
            joined[producer] = place
    nests: dict[ComputeOp, list[ComputeOp]] = {}
    for producer, (host, _) in joined.items():
        nests.setdefault(host, []).append(producer)
    for members in nests.values():
        if any(member.has_reduction for member in members):
            for member in members:
                depth = joined[member][1]
                member.properties["compute_at"] = IntegerAttr(depth, i64)


def _row_place(
    producer: ComputeOp, joined: dict[ComputeOp, tuple[ComputeOp, int]]
) -> tuple[ComputeOp, int] | None:
    """The host and the depth ``producer`` can run at, or None."""
    if producer.computed_at is not None:
        return None
    readers = reading_computes(producer)
    if not readers:
        return None
    hosts: set[ComputeOp] = set()
    depth = len(producer.output_shape)
    for read, reader in readers:
        place = _place_of(reader, joined)
        if place is None:
            return None
        host, available = place
        hosts.add(host)
        depth = min(depth, available, _identity_prefix(read))
    if len(hosts) != 1:
        return None
    host = hosts.pop()
    shape, host_shape = producer.output_shape, host.output_shape
    while depth and shape[:depth] != host_shape[:depth]:
        depth -= 1
    if depth < 1:
        return None
    if producer.has_reduction and any(size != 1 for size in shape[depth:]):
        return None  # not a row statistic
    return host, depth


def _place_of(
    reader: ComputeOp, joined: dict[ComputeOp, tuple[ComputeOp, int]]
) -> tuple[ComputeOp, int] | None:
    """The host a reader runs in and how deep a producer of it may go."""
    if reader in joined:
        return joined[reader]
    if reader.computed_at is not None:
        host = compute_at_host(reader)
        return None if host is None else (host, reader.computed_at)
    if reader.has_reduction:
        return None  # a reduction keeps its own nest (and its kernel)
    return reader, len(reader.output_shape)


def _identity_prefix(read: ReadOp) -> int:
    """How many leading indices of ``read`` are its compute's output indices."""
    depth = 0
    while depth < len(read.indices) and reads_own_slice(read, depth + 1):
        depth += 1
    return depth
