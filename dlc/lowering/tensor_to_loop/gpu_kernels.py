"""A GPU-scheduled contraction -> the shared-memory tiled kernel, at the loop level.

A compute whose schedule has ``blocks`` (:mod:`.gpu_kernel_plan` says which ones
the kernel takes) becomes one ``loop.parallel`` over block tiles mapped to GPU
blocks, whose body stages tiles of both factors in shared memory and
accumulates a thread tile per thread in private memory. For ``c[i, j] = sum_k
x[i, k] * w[k, j]`` with ``schedule<tile = [64, 64, 16], register = [4, 4, 1],
blocks = [0, 1]>`` (``%cN`` are index constants, ``%zero`` the init)::

    loop.parallel (%i0, %j0) = (%c0, %c0) to (%cM, %cN) step (%c64, %c64)
        mapping [gpu.block.y, gpu.block.x] {
      %as = memref.alloc() : memref<16x64xf32, #gpu.address_space<workgroup>>
      %bs = memref.alloc() : memref<16x64xf32, #gpu.address_space<workgroup>>
      %acc = memref.alloc() : memref<16x16x4x4xf32, #gpu.address_space<private>>
      loop.parallel (%ty, %tx) = ... to (%c16, %c16) ... mapping [gpu.thread.y,
          gpu.thread.x] { ... %acc[%ty, %tx, %a, %b] = %zero ... }
      loop.for %k0 = %c0 to %cK step %c16 {
        loop.parallel (%ty, %tx) ... {    // stage: 4 elements of each tile per
          ...                             // thread, 0 outside M, N and K
          memref.store %x_elem, %as[%kk, %mm] ...
        }
        loop.parallel (%ty, %tx) ... {    // 16 x 4 x 4 multiply-adds per thread
          loop.for %kk ... { loop.for %a ... { %av = memref.load %as[%kk, %m]
            loop.for %b ... { ... %acc[%ty, %tx, %a, %b] += %av * %bv } } }
        }
      }
      loop.parallel (%ty, %tx) ... {      // epilogue and store, rows and
        loop.for %a = %c0 to %rows ...    // columns inside the output only
      }
    }

Thread ``(ty, tx)`` owns rows ``i0 + ty + a * 16`` and columns ``j0 + tx + b * 16``
(``a, b < 4``): consecutive threads store consecutive columns and read
consecutive words of the B tile. Each thread loop finishes before the next op of
the block runs, which is where ``loop-to-gpu`` puts barriers, and which the loop
interpreter's serial order gives for free.

**Staging.** A tile is ``BK x BM`` (``BK x BN``) elements, ``ceil(elements /
threads)`` per thread, numbered so that consecutive threads read consecutive
elements of the factor's reads: along k when they are contiguous along k (``x[i,
k]``), else along m (a transposed ``x[k, i]``). A factor is evaluated, not just
loaded: its whole computation from the body (index arithmetic, padding, casts)
is cloned where the tile is staged. Outside the output or the reduction the
point is clamped to 0 and the staged value is 0, so tiles need not divide the
shapes; checks the shapes make unnecessary are left out.

**Epilogue.** The epilogue (bias, activation, residual from ``tensor-fuse``)
runs on each finished accumulator before its store, in the last thread loop,
whose row and column loops stop at the edge of the output.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from math import ceil

from xdsl.builder import Builder
from xdsl.dialects import arith, memref
from xdsl.dialects.builtin import FloatAttr, IntegerAttr, MemRefType
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.rewriter import InsertPoint
from xdsl.utils.exceptions import VerifyException

from dlc.diagnostics import DiagnosticError, SourceLocation
from dlc.dialects import loop
from dlc.dialects.loop.memory_space import PRIVATE, WORKGROUP
from dlc.dialects.tensor import ComputeOp, ReadOp, YieldOp
from dlc.dialects.tensor.access import body_reads, dependences, is_contiguous_along
from dlc.lowering.tensor_to_loop.constants import ScalarConstants
from dlc.lowering.tensor_to_loop.gpu_kernel_plan import (
    GPU_FLOATS,
    GpuContraction,
    GpuTiles,
    check_gpu_schedule,
    gpu_contraction,
    schedule_tiles,
)
from dlc.lowering.tensor_to_loop.loops import open_loop
from dlc.lowering.tensor_to_loop.read import IndexRanges, lower_read

THREAD_MAPPING = ("gpu.thread.y", "gpu.thread.x")

_ThreadBody = Callable[[Builder, SSAValue, SSAValue], None]
"""Builds the body of a thread loop (or a thread tile) at its two indices."""


def lower_gpu_tiled(
    compute: ComputeOp,
    buffer: SSAValue,
    builder: Builder,
    buffers: Mapping[SSAValue, SSAValue],
    constants: ScalarConstants,
) -> bool:
    """Build ``compute``'s GPU kernel at ``builder``; False without a GPU schedule.

    A GPU schedule the kernel cannot run is an error at the compute. The compute
    is left as it is, for the caller to erase.
    """
    schedule = compute.schedule
    if schedule is None or not schedule.block_dims:
        return False
    location = SourceLocation.of(compute.location)
    extents = (*compute.output_shape, *compute.reduction_extents)
    try:
        schedule.verify_kernel_fields(
            extents, len(compute.output_shape), len(body_reads(compute))
        )
    except VerifyException as error:
        raise DiagnosticError(f"tensor-to-loop: {error}", location) from None
    problem = check_gpu_schedule(compute, schedule)
    contraction = gpu_contraction(compute)
    if problem is not None or contraction is None:
        raise DiagnosticError(f"tensor-to-loop: {problem}", location)
    tiles = schedule_tiles(contraction, schedule)
    _GpuKernel(contraction, tiles, buffer, buffers, constants).build(builder)
    return True


class _GpuKernel:
    """Builds the kernel of one contraction; see the module docstring."""

    def __init__(
        self,
        contraction: GpuContraction,
        tiles: GpuTiles,
        buffer: SSAValue,
        buffers: Mapping[SSAValue, SSAValue],
        constants: ScalarConstants,
    ):
        self.contraction = contraction
        self.compute = contraction.compute
        self.tiles = tiles
        self.buffer = buffer
        self.buffers = buffers
        self.constants = constants
        self.deps = dependences(self.compute)
        element = self.compute.element_type
        assert isinstance(element, GPU_FLOATS)
        self.float_type = element
        self.m = contraction.extent(contraction.rows)
        self.n = contraction.extent(contraction.cols)
        self.k = contraction.extent(contraction.reduction)
        self.threads_y, self.threads_x = tiles.threads
        self.batch_index: SSAValue | None = None
        self.row_start = constants.index(0)
        self.col_start = constants.index(0)

    def index(self, value: int) -> SSAValue:
        return self.constants.index(value)

    def build(self, builder: Builder) -> None:
        block = self._open_block_loop(builder)
        tiles = self.tiles
        lhs_tile = self._alloc(block, [tiles.bk, tiles.bm], WORKGROUP, "a_tile")
        rhs_tile = self._alloc(block, [tiles.bk, tiles.bn], WORKGROUP, "b_tile")
        accumulators = self._alloc(
            block,
            [self.threads_y, self.threads_x, tiles.tm, tiles.tn],
            PRIVATE,
            "acc",
        )
        assert self.compute.init is not None
        init = self.constants.get(self.compute.init)

        def zero(body: Builder, ty: SSAValue, tx: SSAValue) -> None:
            def store(inner: Builder, a: SSAValue, b: SSAValue) -> None:
                inner.insert(memref.StoreOp.get(init, accumulators, [ty, tx, a, b]))

            self._thread_tile(body, self.index(tiles.tm), self.index(tiles.tn), store)

        self._thread_loop(block, zero)
        _, k_start, k_body = open_loop(
            block, self.index(0), self.index(self.k), self.index(tiles.bk)
        )
        k_start.name_hint = "k0"

        def stage(body: Builder, ty: SSAValue, tx: SSAValue) -> None:
            row = _insert(body, arith.MuliOp(ty, self.index(self.threads_x)))
            thread = _insert(body, arith.AddiOp(row, tx), "thread")
            self._stage(body, thread, k_start, lhs_tile, lhs=True)
            self._stage(body, thread, k_start, rhs_tile, lhs=False)

        def multiply(body: Builder, ty: SSAValue, tx: SSAValue) -> None:
            self._multiply(body, ty, tx, lhs_tile, rhs_tile, accumulators)

        self._thread_loop(k_body, stage)
        self._thread_loop(k_body, multiply)

        def finish(body: Builder, ty: SSAValue, tx: SSAValue) -> None:
            self._finish(body, ty, tx, accumulators)

        self._thread_loop(block, finish)

    def _open_block_loop(self, builder: Builder) -> Builder:
        """The loop over block tiles; sets the batch index and the tile starts."""
        contraction, tiles = self.contraction, self.tiles
        dims: list[tuple[int, int, str]] = []
        if contraction.batch is not None:
            dims.append((self.contraction.extent(contraction.batch), 1, "batch"))
        if contraction.rows is not None:
            dims.append((self.m, tiles.bm, "i0"))
        dims.append((self.n, tiles.bn, "j0"))
        op = loop.ParallelOp(
            [self.index(0)] * len(dims),
            [self.index(extent) for extent, _, _ in dims],
            [self.index(step) for _, step, _ in dims],
            mapping=loop.GPU_BLOCKS[: len(dims)][::-1],
        )
        builder.insert(op)
        terminator = loop.YieldOp()
        op.body.block.add_op(terminator)
        ivs = list(op.induction_vars)
        for iv, (_, _, name) in zip(ivs, dims, strict=True):
            iv.name_hint = name
        self.col_start = ivs.pop()
        if contraction.rows is not None:
            self.row_start = ivs.pop()
        if contraction.batch is not None:
            self.batch_index = ivs.pop()
        return Builder(InsertPoint.before(terminator))

    def _alloc(
        self, builder: Builder, shape: Sequence[int], space: Attribute, name: str
    ) -> SSAValue:
        memref_type = MemRefType(self.float_type, shape, memory_space=space)
        alloc = builder.insert(memref.AllocOp([], [], memref_type))
        alloc.memref.name_hint = name
        return alloc.memref

    def _thread_loop(self, builder: Builder, emit: _ThreadBody) -> None:
        """A ``loop.parallel`` over the block's threads, ``(ty, tx)``."""
        zero, one = self.index(0), self.index(1)
        op = loop.ParallelOp(
            [zero, zero],
            [self.index(self.threads_y), self.index(self.threads_x)],
            [one, one],
            mapping=THREAD_MAPPING,
        )
        builder.insert(op)
        terminator = loop.YieldOp()
        op.body.block.add_op(terminator)
        ty, tx = op.induction_vars
        ty.name_hint, tx.name_hint = "ty", "tx"
        emit(Builder(InsertPoint.before(terminator)), ty, tx)

    def _thread_tile(
        self, builder: Builder, rows: SSAValue, cols: SSAValue, emit: _ThreadBody
    ) -> None:
        """Loops over ``rows x cols`` points of a thread tile, ``(a, b)``."""
        _, a, body = open_loop(builder, self.index(0), rows, self.index(1))
        _, b, body = open_loop(body, self.index(0), cols, self.index(1))
        a.name_hint, b.name_hint = "a", "b"
        emit(body, a, b)

    def _stage(
        self,
        builder: Builder,
        thread: SSAValue,
        k_start: SSAValue,
        tile: SSAValue,
        *,
        lhs: bool,
    ) -> None:
        """Thread ``thread``'s share of a factor's tile: ``tile[kk, p] = factor``.

        ``p`` runs over the block's rows for the lhs, its columns for the rhs.
        The tile's elements are dealt round-robin, ``thread + r * threads``.
        """
        size = self.tiles.bm if lhs else self.tiles.bn
        threads = self.threads_y * self.threads_x
        elements = self.tiles.bk * size
        if elements == threads:
            self._stage_element(builder, thread, k_start, tile, lhs=lhs)
            return
        count = self._share(builder, elements, thread, threads)
        _, step, body = open_loop(builder, self.index(0), count, self.index(1))
        step.name_hint = "r"
        scaled = _insert(body, arith.MuliOp(step, self.index(threads)))
        position = _insert(body, arith.AddiOp(thread, scaled), "element")
        self._stage_element(body, position, k_start, tile, lhs=lhs)

    def _stage_element(
        self,
        body: Builder,
        position: SSAValue,
        k_start: SSAValue,
        tile: SSAValue,
        *,
        lhs: bool,
    ) -> None:
        """Stage element ``position`` of the tile, counted along its fast dim."""
        factor = self.contraction.lhs if lhs else self.contraction.rhs
        dim = self.contraction.rows if lhs else self.contraction.cols
        size = self.tiles.bm if lhs else self.tiles.bn
        extent = self.m if lhs else self.n
        start = self.row_start if lhs else self.col_start
        bk = self.tiles.bk
        fast = bk if self._along_k(factor) else size
        inner = _insert(body, arith.RemUIOp(position, self.index(fast)))
        outer = _insert(body, arith.DivUIOp(position, self.index(fast)))
        kk, point = (inner, outer) if fast == bk else (outer, inner)
        kk.name_hint, point.name_hint = "kk", "p"
        k = _insert(body, arith.AddiOp(k_start, kk), "k")
        global_point = _insert(body, arith.AddiOp(start, point), "point")
        checks = [(k, self.k, self.tiles.bk), (global_point, extent, size)]
        inside = [
            _insert(body, arith.CmpiOp(value, self.index(bound), "ult"), "inside")
            for value, bound, tile in checks
            if bound % tile
        ]
        check = inside[0] if inside else None
        for other in inside[1:]:
            check = _insert(body, arith.AndIOp(check, other), "inside")
        safe_k, safe_point = k, global_point
        if check is not None:
            zero = self.index(0)
            safe_k = _insert(body, arith.SelectOp(check, k, zero), "safe_k")
            safe_point = _insert(body, arith.SelectOp(check, global_point, zero))
            safe_point.name_hint = "safe_point"
        bound: dict[int | None, tuple[SSAValue, int]] = {
            self.contraction.reduction: (safe_k, self.k),
            dim: (safe_point, extent),
        }
        if self.contraction.batch is not None:
            assert self.batch_index is not None
            bound[self.contraction.batch] = (
                self.batch_index,
                self.contraction.extent(self.contraction.batch),
            )
        value = self._evaluate(body, factor, bound)
        if check is not None:
            zero_value = self.constants.get(FloatAttr(0.0, self.float_type))
            value = _insert(body, arith.SelectOp(check, value, zero_value))
        body.insert(memref.StoreOp.get(value, tile, [kk, point]))

    def _along_k(self, factor: SSAValue) -> bool:
        """Whether the reads ``factor`` is computed from are contiguous along k."""
        reduction = self.contraction.reduction
        reads = [
            read
            for read in body_reads(self.compute)
            if reduction in self.deps[read.result] and self._feeds(read.result, factor)
        ]
        return bool(reads) and all(
            is_contiguous_along(self.deps, read, reduction) for read in reads
        )

    def _feeds(self, value: SSAValue, target: SSAValue) -> bool:
        """Whether the body computes ``target`` from ``value`` (or it is ``value``)."""
        body = self.compute.body.block
        stack, seen = [target], set[SSAValue]()
        while stack:
            current = stack.pop()
            if current is value:
                return True
            owner = current.owner
            if current in seen or not isinstance(owner, Operation):
                continue
            seen.add(current)
            if owner.parent_block() is body:
                stack.extend(owner.operands)
        return False

    def _share(
        self, builder: Builder, elements: int, thread: SSAValue, threads: int
    ) -> SSAValue:
        """How many of ``elements`` (dealt round-robin) thread ``thread`` gets."""
        if elements % threads == 0:
            return self.index(elements // threads)
        left = _insert(builder, arith.SubiOp(self.index(elements), thread))
        return self._ceil_count(builder, left, threads, ceil(elements / threads))

    def _ceil_count(
        self, builder: Builder, left: SSAValue, stride: int, cap: int
    ) -> SSAValue:
        """``min(cap, ceil(max(left, 0) / stride))``: points from ``left`` on."""
        positive = _insert(builder, arith.MaxSIOp(left, self.index(0)))
        rounded = _insert(builder, arith.AddiOp(positive, self.index(stride - 1)))
        count = _insert(builder, arith.DivUIOp(rounded, self.index(stride)))
        return _insert(builder, arith.MinSIOp(count, self.index(cap)), "count")

    def _multiply(
        self,
        builder: Builder,
        ty: SSAValue,
        tx: SSAValue,
        lhs_tile: SSAValue,
        rhs_tile: SSAValue,
        accumulators: SSAValue,
    ) -> None:
        """``acc[ty, tx, a, b] += lhs_tile[kk, row a] * rhs_tile[kk, col b]``."""
        tiles = self.tiles
        one = self.index(1)
        _, kk, body = open_loop(builder, self.index(0), self.index(tiles.bk), one)
        kk.name_hint = "kk"
        _, a, body = open_loop(body, self.index(0), self.index(tiles.tm), one)
        a.name_hint = "a"
        row = self._owned(body, ty, a, self.threads_y, "row")
        lhs = _insert(body, memref.LoadOp.get(lhs_tile, [kk, row]), "a_elem")
        _, b, body = open_loop(body, self.index(0), self.index(tiles.tn), one)
        b.name_hint = "b"
        col = self._owned(body, tx, b, self.threads_x, "col")
        rhs = _insert(body, memref.LoadOp.get(rhs_tile, [kk, col]), "b_elem")
        indices = [ty, tx, a, b]
        acc = _insert(body, memref.LoadOp.get(accumulators, indices), "acc")
        product = _insert(body, arith.MulfOp(lhs, rhs), "product")
        total = _insert(body, arith.AddfOp(acc, product), "sum")
        body.insert(memref.StoreOp.get(total, accumulators, indices))

    def _owned(
        self,
        builder: Builder,
        thread: SSAValue,
        offset: SSAValue,
        threads: int,
        name: str,
    ) -> SSAValue:
        """The tile row (column) of a thread's point: ``thread + offset * threads``."""
        scaled = _insert(builder, arith.MuliOp(offset, self.index(threads)))
        return _insert(builder, arith.AddiOp(thread, scaled), name)

    def _finish(
        self, builder: Builder, ty: SSAValue, tx: SSAValue, accumulators: SSAValue
    ) -> None:
        """Apply the epilogue to this thread's points inside the output; store them."""
        tiles = self.tiles
        rows = self._points(builder, self.row_start, ty, self.m, tiles.bm, tiles.tm)
        cols = self._points(builder, self.col_start, tx, self.n, tiles.bn, tiles.tn)

        def store(body: Builder, a: SSAValue, b: SSAValue) -> None:
            row = self._owned(body, ty, a, self.threads_y, "row")
            col = self._owned(body, tx, b, self.threads_x, "col")
            indices: list[SSAValue] = []
            contraction = self.contraction
            if contraction.batch is not None:
                assert self.batch_index is not None
                indices.append(self.batch_index)
            if contraction.rows is not None:
                indices.append(_insert(body, arith.AddiOp(self.row_start, row), "i"))
            indices.append(_insert(body, arith.AddiOp(self.col_start, col), "j"))
            acc = _insert(body, memref.LoadOp.get(accumulators, [ty, tx, a, b]))
            acc.name_hint = "sum"
            value = self._epilogue(body, indices, acc)
            body.insert(memref.StoreOp.get(value, self.buffer, indices))

        self._thread_tile(builder, rows, cols, store)

    def _points(
        self,
        builder: Builder,
        start: SSAValue,
        thread: SSAValue,
        extent: int,
        block: int,
        per_thread: int,
    ) -> SSAValue:
        """How many of a thread's ``per_thread`` rows (columns) are in the output."""
        if extent % block == 0:
            return self.index(per_thread)
        first = _insert(builder, arith.AddiOp(start, thread))
        left = _insert(builder, arith.SubiOp(self.index(extent), first))
        return self._ceil_count(builder, left, block // per_thread, per_thread)

    def _epilogue(
        self, builder: Builder, indices: Sequence[SSAValue], folded: SSAValue
    ) -> SSAValue:
        """The epilogue's value at ``indices``; ``folded`` without an epilogue."""
        epilogue = self.compute.epilogue
        if epilogue is None:
            return folded
        extents = self.compute.output_shape
        ranges = IndexRanges()
        values: dict[SSAValue, SSAValue] = {}
        *index_args, folded_arg = epilogue.block.args
        for arg, index, extent in zip(index_args, indices, extents, strict=True):
            values[arg] = index
            ranges.bind(index, extent)
        values[folded_arg] = folded
        terminator = epilogue.block.last_op
        assert isinstance(terminator, YieldOp)
        ops = list(epilogue.block.ops)[:-1]
        return self._clone(builder, ops, terminator.value, values, ranges)

    def _evaluate(
        self,
        builder: Builder,
        factor: SSAValue,
        bound: Mapping[int | None, tuple[SSAValue, int]],
    ) -> SSAValue:
        """``factor`` at the loop indices ``bound`` gives (position -> value)."""
        ranges = IndexRanges()
        values: dict[SSAValue, SSAValue] = {}
        for arg in self.compute.body.block.args:
            if arg.index in bound:
                index, extent = bound[arg.index]
                values[arg] = index
                ranges.bind(index, extent)
        ops = [
            op
            for op in self.compute.body.block.ops
            if any(self._feeds(result, factor) for result in op.results)
        ]
        return self._clone(builder, ops, factor, values, ranges)

    def _clone(
        self,
        builder: Builder,
        ops: Sequence[Operation],
        result: SSAValue,
        values: dict[SSAValue, SSAValue],
        ranges: IndexRanges,
    ) -> SSAValue:
        """Clone ``ops`` at ``builder``; the clone of ``result``.

        Reads become loads, constants the function's constants.
        """
        for op in ops:
            if isinstance(op, ReadOp):
                read = op.clone(value_mapper=values)
                buffer = self.buffers[op.tensor]
                values[op.result] = lower_read(
                    read, buffer, builder, ranges, self.constants
                )
                read.erase()
            elif isinstance(op, arith.ConstantOp) and isinstance(
                op.value, IntegerAttr | FloatAttr
            ):
                values[op.result] = self.constants.get(op.value)
            else:
                clone = builder.insert(op.clone(value_mapper=values))
                for old, new in zip(op.results, clone.results, strict=True):
                    values[old] = new
        return values.get(result, result)


def _insert(builder: Builder, op: Operation, name: str | None = None) -> SSAValue:
    """Insert a one-result ``op``; its result, named ``name`` if given."""
    result = builder.insert(op).results[0]
    if name is not None:
        result.name_hint = name
    return result
