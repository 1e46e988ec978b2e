"""loop-vectorize: run W iterations of a loop at once, one per vector lane.

The loop level has no masks, so a vectorized loop is a main loop that steps W
iterations at a time over vectors, then the original scalar loop for the rest.
Which loops:

* every loop annotated ``vectorize = W`` (the request ``tensor-to-loop`` makes from
  a ``#tensor.schedule``, on the innermost output loop), at that width; when that
  loop cannot be vectorized, the innermost loops inside it are tried (the
  reduction loop of a row sum, whose output loop runs once or walks rows);
* with ``width=N`` or ``width=auto``, also every innermost loop without the
  annotation, at width N or at the host's widest vectors (``auto``: 16 f32 lanes
  with AVX-512, 8 with AVX2, 4 otherwise; fewer when a constant trip count is
  smaller). When an innermost loop cannot be vectorized, the loops around it are
  tried, inner ones first: an outer loop vectorizes across its own index, with
  the inner loops running once per vector (a column sum
  ``for j { for k { s += x[k, j] } }`` becomes a sum of ``x[k, j .. j + W]``
  rows; a convolution runs its window loops once per W output columns).

Inside the loop each value is one of three kinds. **Uniform** values are the same
for every lane (defined outside, or computed from uniform values only); they stay
scalar and become a ``loop.splat`` where a vector needs them. **Linear** values
are the loop index plus a uniform offset: lane ``l`` holds lane 0's value plus
``l``. **Vector** values are floats that differ between lanes. Loads and stores
whose last index is linear and whose other indices are uniform become
``loop.vload``/``loop.vstore``; float ``arith``/``math`` ops on vectors (and a
``select`` with a uniform condition) take vector types; ``a * b + c`` becomes
``loop.fma``; an iter_arg combined with ``addf``/``mulf``/``maximumf``/
``minimumf`` becomes a vector accumulator, reduced by ``loop.vreduce`` after the
loop and combined with its initial value.

A loop is left scalar, with a remark under ``debug=true``, when vectorizing could
change its result or cannot be lowered:

* a step other than 1, or an index that is not linear (a gather or a scatter:
  the lanes would not be consecutive), or the loop index used as data;
* integer values that differ between lanes (vectors are f16/f32/f64);
* a ``cmpf`` of values that differ between lanes, or a ``select`` on one: in
  xDSL 0.74 both take a scalar ``i1`` only, so no per-lane condition can be
  written; other ops loop-to-llvm does not lower on vectors (``fptosi``, ...);
* an iter_arg that is not such a reduction;
* a buffer the loop writes and also accesses at other indices, or an op with
  memory effects other than loads and stores (a call, an alloc);
* a loop that is vectorized already, or a trip count below W.

The vector loop may round differently from the scalar one, never more than the
scalar code's own error: reductions add up lanes separately, ``a * b + c``
rounds once, and loop-to-llvm computes ``exp``, ``tanh`` and ``erf`` on f32
vectors with polynomials (:mod:`dlc.lowering.llvm_patterns.vector_math`).
"""

from __future__ import annotations

import math as pymath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache

from xdsl.context import Context
from xdsl.dialects import arith, math, memref
from xdsl.dialects.builtin import (
    AnyFloat,
    FloatAttr,
    MemRefType,
    ModuleOp,
    NoneAttr,
    VectorType,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.passes import ModulePass
from xdsl.rewriter import InsertPoint, Rewriter
from xdsl.traits import is_side_effect_free

from dlc.dialects import loop
from dlc.dialects.loop import VECTOR_WIDTHS, constant_index
from dlc.dialects.loop.vector import VECTOR_ELEMENT_TYPES
from dlc.transforms.loop_nests import (
    LoopOp,
    accesses_in,
    conflicting_access,
    defined_inside,
    index_constant,
    innermost_loops,
    is_loop,
    remark,
    split_point,
)
from dlc.transforms.loop_unroll import LoopRange, annotation, replace_loop


class Kind(Enum):
    """How a value inside the vectorized loop varies across the lanes."""

    UNIFORM = "uniform"
    LINEAR = "linear"
    VECTOR = "vector"


class NotVectorizable(Exception):
    """Why a loop stays scalar."""


_ELEMENTWISE: tuple[type[Operation], ...] = (
    *loop.LANEWISE_ARITH,
    arith.ExtFOp,
    arith.TruncFOp,
    math.FloatingPointLikeUnaryMathOperation,
    math.FloatingPointLikeBinaryMathOperation,
    math.FmaOp,
    loop.FmaOp,
)
"""Float ops that loop-to-llvm lowers on vectors, lane by lane."""

_Combine = Callable[[SSAValue, SSAValue], Operation]

_REDUCTIONS: dict[type[Operation], tuple[str, float, _Combine]] = {
    arith.AddfOp: ("add", -0.0, arith.AddfOp),
    arith.MulfOp: ("mul", 1.0, arith.MulfOp),
    arith.MaximumfOp: ("max", -pymath.inf, arith.MaximumfOp),
    arith.MinimumfOp: ("min", pymath.inf, arith.MinimumfOp),
}
"""Each combining op: its ``loop.vreduce`` kind, the lanes' starting value (its
identity: -0.0 for add, so that a sum of -0.0 stays -0.0) and how to build it."""

_MIN_VECTOR_BYTES = 16


@cache
def host_vector_bytes() -> int:
    """The widest vector register of this CPU, from LLVM's view of its features."""
    import llvmlite.binding as llvm

    features = llvm.get_host_cpu_features()
    if features.get("avx512f"):
        return 64
    if features.get("avx"):
        return 32
    return _MIN_VECTOR_BYTES


def _float_element(type_: Attribute) -> Attribute | None:
    return type_ if isinstance(type_, VECTOR_ELEMENT_TYPES) else None


@dataclass
class _Reduction:
    """An iter_arg of the vectorized loop that accumulates with ``combine``."""

    position: int
    combine: Operation
    kind: str
    identity: float
    build: _Combine


@dataclass
class _Plan:
    """The kind of every value in the loop, found before anything is rewritten."""

    span: LoopRange
    kinds: dict[SSAValue, Kind] = field(default_factory=dict[SSAValue, Kind])
    reductions: list[_Reduction] = field(default_factory=list[_Reduction])
    contracted: set[Operation] = field(default_factory=set[Operation])
    fused: dict[Operation, arith.MulfOp] = field(
        default_factory=dict[Operation, arith.MulfOp]
    )
    element_types: set[Attribute] = field(default_factory=set[Attribute])
    dead: set[Operation] = field(default_factory=set[Operation])
    """Pure ops whose results nothing uses: the vector loop leaves them out."""

    def kind(self, value: SSAValue) -> Kind:
        return self.kinds.get(value, Kind.UNIFORM)

    def analyze(self) -> None:
        op = self.span.op
        step = constant_index(self.span.step)
        if step != 1:
            raise NotVectorizable(
                "its step is not 1, so the lanes would not be consecutive"
            )
        body = op.regions[0].block
        self.kinds[body.args[0]] = Kind.LINEAR
        for position, arg in enumerate(body.args[1:]):
            self._reduction(position, arg)
        self._block(body)
        accesses = accesses_in(op)
        if isinstance(accesses, str):
            raise NotVectorizable(accesses)
        conflict = conflicting_access(accesses)
        if conflict is not None:
            raise NotVectorizable(
                f"{conflict.op.name} accesses a buffer the loop writes at other "
                "indices, so the lanes could depend on each other"
            )
        self._contract()

    def _reduction(self, position: int, arg: SSAValue) -> None:
        use = arg.get_unique_use()
        combine = use.operation if use is not None else None
        entry = _REDUCTIONS.get(type(combine)) if combine is not None else None
        yielded = combine.results[0].get_unique_use() if combine is not None else None
        if (
            combine is None
            or entry is None
            or yielded is None
            or not isinstance(yielded.operation, loop.YieldOp)
            or yielded.index != position
            or combine.parent_block() is not arg.owner
        ):
            raise NotVectorizable(
                f"iter_arg {position} is not a reduction (one addf, mulf, maximumf "
                "or minimumf with the iter_arg, yielded as is)"
            )
        if _float_element(arg.type) is None:
            raise NotVectorizable(f"iter_arg {position} of type {arg.type}")
        self.kinds[arg] = Kind.VECTOR
        self.element_types.add(arg.type)
        self.reductions.append(_Reduction(position, combine, *entry))

    def _block(self, block: Block) -> None:
        for op in block.ops:
            if isinstance(op, loop.YieldOp):
                continue
            if isinstance(op, loop.ForOp):
                self._inner_loop(op)
            elif isinstance(op, loop.ParallelOp):
                raise NotVectorizable("it holds a loop.parallel")
            elif isinstance(
                op, loop.VLoadOp | loop.VStoreOp | loop.SplatOp | loop.VReduceOp
            ) or any(isinstance(r.type, VectorType) for r in op.results):
                raise NotVectorizable("it is vectorized already")
            elif isinstance(op, memref.LoadOp):
                self._load(op)
            elif isinstance(op, memref.StoreOp):
                self._store(op)
            elif is_side_effect_free(op) and not op.regions:
                self._pure(op)
            else:
                raise NotVectorizable(f"{op.name} has memory effects")

    def _inner_loop(self, op: loop.ForOp) -> None:
        """An inner loop runs once per vector; its iter_args become vectors when
        what they carry differs between lanes."""
        if any(self.kind(v) != Kind.UNIFORM for v in (op.lb, op.ub, op.step)):
            raise NotVectorizable("an inner loop's bounds differ between lanes")
        self.kinds[op.induction_var] = Kind.UNIFORM
        kinds = [self.kind(init) for init in op.iter_args]
        while True:
            if Kind.LINEAR in kinds:
                raise NotVectorizable("an inner loop carries the loop index")
            for arg, kind in zip(op.region_iter_args, kinds, strict=True):
                self.kinds[arg] = kind
                if kind == Kind.VECTOR:
                    self._vector_type(arg)
            self._block(op.body.block)
            terminator = op.body.block.last_op
            assert isinstance(terminator, loop.YieldOp)
            widened = [
                Kind.VECTOR if Kind.VECTOR in (k, self.kind(y)) else k
                for k, y in zip(kinds, terminator.arguments, strict=True)
            ]
            if widened == kinds:
                break
            kinds = widened
        for result, kind in zip(op.res, kinds, strict=True):
            self.kinds[result] = kind

    def _load(self, op: memref.LoadOp) -> None:
        kinds = [self.kind(i) for i in op.indices]
        if all(k == Kind.UNIFORM for k in kinds):
            self.kinds[op.res] = Kind.UNIFORM
            return
        self._contiguous(op, op.memref, kinds)
        self.kinds[op.res] = Kind.VECTOR
        self._vector_type(op.res)

    def _store(self, op: memref.StoreOp) -> None:
        kinds = [self.kind(i) for i in op.indices]
        if all(k == Kind.UNIFORM for k in kinds):
            raise NotVectorizable(
                "memref.store to one element from every lane (its indices do not "
                "depend on the loop index)"
            )
        self._contiguous(op, op.memref, kinds)
        self._vector_type(op.value)

    def _contiguous(
        self, op: Operation, buffer: SSAValue, kinds: Sequence[Kind]
    ) -> None:
        """A vector access: the last index linear, the others uniform."""
        if kinds[-1] != Kind.LINEAR or any(k != Kind.UNIFORM for k in kinds[:-1]):
            raise NotVectorizable(
                f"{op.name} at indices that are not (uniform..., loop index + c): "
                "a gather or scatter"
            )
        buffer_type = buffer.type
        assert isinstance(buffer_type, MemRefType)
        shape: Sequence[int] = buffer_type.get_shape()  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
        if not isinstance(buffer_type.layout, NoneAttr) or any(d < 0 for d in shape):
            raise NotVectorizable(
                f"{op.name} of {buffer_type}: vector accesses need a static, "
                "row-major memref"
            )

    def _pure(self, op: Operation) -> None:
        if not any(result.uses for result in op.results):
            self.dead.add(op)
            return
        kinds = [self.kind(o) for o in op.operands]
        if all(k == Kind.UNIFORM for k in kinds):
            kind = Kind.UNIFORM
        elif Kind.LINEAR in kinds:
            kind = self._index_arithmetic(op, kinds)
        elif isinstance(op, arith.SelectOp):
            if kinds[0] != Kind.UNIFORM:
                raise NotVectorizable(
                    "arith.select with a condition that differs between lanes "
                    "(arith.select and arith.cmpf take scalar i1 only)"
                )
            kind = Kind.VECTOR
        elif isinstance(op, arith.CmpfOp):
            raise NotVectorizable(
                "arith.cmpf of values that differ between lanes (its result is a "
                "scalar i1)"
            )
        elif isinstance(op, _ELEMENTWISE):
            kind = Kind.VECTOR
        else:
            raise NotVectorizable(f"{op.name} on vectors is not lowered")
        for result in op.results:
            self.kinds[result] = kind
            if kind == Kind.VECTOR:
                self._vector_type(result)

    def _index_arithmetic(self, op: Operation, kinds: Sequence[Kind]) -> Kind:
        """``index + uniform``, ``uniform + index`` and ``index - uniform`` stay
        linear; anything else of the loop index breaks consecutive lanes."""
        if isinstance(op, arith.AddiOp) and sorted(k.value for k in kinds) == [
            "linear",
            "uniform",
        ]:
            return Kind.LINEAR
        if isinstance(op, arith.SubiOp) and kinds == [Kind.LINEAR, Kind.UNIFORM]:
            return Kind.LINEAR
        raise NotVectorizable(
            f"{op.name} of the loop index (only index + c keeps the lanes "
            "consecutive, and the index is not data)"
        )

    def _vector_type(self, value: SSAValue) -> None:
        element = _float_element(value.type)
        if element is None:
            raise NotVectorizable(
                f"a value of type {value.type} differs between lanes (vectors are "
                "of f16, f32 or f64)"
            )
        self.element_types.add(element)

    def _contract(self) -> None:
        """Pick, for each vector ``addf``, one operand that is a vector ``mulf``
        used by nothing else in the same block: the two become one FMA."""
        for value, kind in list(self.kinds.items()):
            owner = value.owner
            if kind != Kind.VECTOR or not isinstance(owner, arith.AddfOp):
                continue
            for operand in (owner.lhs, owner.rhs):
                product = operand.owner
                if (
                    isinstance(product, arith.MulfOp)
                    and self.kind(operand) == Kind.VECTOR
                    and operand.has_one_use()
                    and product.parent_block() is owner.parent_block()
                ):
                    self.contracted.add(product)
                    self.fused[owner] = product
                    break


@dataclass
class _Emitter:
    """Builds the vector loop body from a plan."""

    plan: _Plan
    width: int
    before: InsertPoint
    mapping: dict[SSAValue, SSAValue] = field(default_factory=dict[SSAValue, SSAValue])
    splats: dict[SSAValue, tuple[Block, SSAValue]] = field(
        default_factory=dict[SSAValue, tuple[Block, SSAValue]]
    )
    blocks: list[Block] = field(default_factory=list[Block])

    def vector_type(self, type_: Attribute) -> VectorType:
        return VectorType(type_, [self.width])

    def scalar(self, value: SSAValue) -> SSAValue:
        return self.mapping.get(value, value)

    def vector(self, value: SSAValue) -> SSAValue:
        """``value`` as a vector: itself if it is one, else its splat."""
        if self.plan.kind(value) == Kind.VECTOR:
            return self.mapping[value]
        cached = self.splats.get(value)
        if cached is not None and cached[0] in self.blocks:
            return cached[1]
        splat = loop.SplatOp(self.scalar(value), self.vector_type(value.type))
        if defined_inside(value, self.plan.span.op):
            block = self.blocks[-1]
            block.add_op(splat)
        else:
            block = self.blocks[0]
            Rewriter.insert_op(splat, self.before)
        self.splats[value] = (block, splat.result)
        return splat.result

    def block(self, source: Block, target: Block) -> list[SSAValue]:
        """Emit ``source``'s ops into ``target``; return what its yield gives."""
        self.blocks.append(target)
        yielded: list[SSAValue] = []
        for op in source.ops:
            if isinstance(op, loop.YieldOp):
                yielded = list(op.arguments)
            elif isinstance(op, loop.ForOp):
                self.inner_loop(op, target)
            elif op not in self.plan.contracted and op not in self.plan.dead:
                self.op(op, target)
        self.blocks.pop()
        return yielded

    def inner_loop(self, op: loop.ForOp, target: Block) -> None:
        inits = [self.value_as(arg, init) for arg, init in self._carried(op)]
        annotations = dict(op.attributes)
        annotations.pop(loop.VECTORIZE, None)
        new = loop.ForOp(
            self.scalar(op.lb),
            self.scalar(op.ub),
            self.scalar(op.step),
            inits,
            annotations=annotations,
        )
        target.add_op(new)
        for old, arg in zip(op.body.block.args, new.body.block.args, strict=True):
            arg.name_hint = old.name_hint
            self.mapping[old] = arg
        yielded = self.block(op.body.block, new.body.block)
        self.blocks.append(new.body.block)
        values = [
            self.value_as(arg, value)
            for arg, value in zip(op.region_iter_args, yielded, strict=True)
        ]
        self.blocks.pop()
        new.body.block.add_op(loop.YieldOp(*values))
        for old, result in zip(op.res, new.res, strict=True):
            result.name_hint = old.name_hint
            self.mapping[old] = result

    @staticmethod
    def _carried(op: loop.ForOp) -> list[tuple[SSAValue, SSAValue]]:
        return list(zip(op.region_iter_args, op.iter_args, strict=True))

    def value_as(self, like: SSAValue, value: SSAValue) -> SSAValue:
        """``value`` in the form (vector or scalar) that ``like`` has."""
        if self.plan.kind(like) == Kind.VECTOR:
            return self.vector(value)
        return self.scalar(value)

    def op(self, op: Operation, target: Block) -> None:
        kinds = [self.plan.kind(r) for r in op.results]
        if isinstance(op, memref.StoreOp):
            store = loop.VStoreOp(
                self.vector(op.value),
                self.scalar(op.memref),
                [self.scalar(i) for i in op.indices],
            )
            target.add_op(store)
        elif Kind.VECTOR not in kinds:
            target.add_op(op.clone(self.mapping))
        elif isinstance(op, memref.LoadOp):
            load = loop.VLoadOp(
                self.scalar(op.memref),
                [self.scalar(i) for i in op.indices],
                self.vector_type(op.res.type),
            )
            self._emit(op, load, target)
        elif op in self.plan.fused:
            product = self.plan.fused[op]
            assert isinstance(op, arith.AddfOp)
            other = op.rhs if product.result == op.lhs else op.lhs
            fma = loop.FmaOp(
                self.vector(product.lhs), self.vector(product.rhs), self.vector(other)
            )
            self._emit(op, fma, target)
        else:
            condition = isinstance(op, arith.SelectOp)
            operands = [
                self.scalar(o) if condition and i == 0 else self.vector(o)
                for i, o in enumerate(op.operands)
            ]
            widened = type(op).create(
                operands=operands,
                result_types=[self.vector_type(r.type) for r in op.results],
                properties=dict(op.properties),
                attributes=dict(op.attributes),
            )
            self._emit(op, widened, target)

    def _emit(self, old: Operation, new: Operation, target: Block) -> None:
        target.add_op(new)
        for old_result, new_result in zip(old.results, new.results, strict=True):
            new_result.name_hint = old_result.name_hint
            self.mapping[old_result] = new_result


def vectorize(op: LoopOp, width: int) -> None:
    """Vectorize ``op`` by ``width`` lanes, or raise :class:`NotVectorizable`."""
    span = LoopRange.of(op)
    if isinstance(span, str):
        raise NotVectorizable(span)
    plan = _Plan(span)
    plan.analyze()
    trips = span.trip_count()
    if trips is not None and trips < width:
        raise NotVectorizable(f"its trip count {trips} is below the width {width}")
    _check_widths(plan, width)

    before = InsertPoint.before(op)
    chunk = index_constant(width)
    split_ops, split = split_point(span.lb, span.ub, chunk.result)
    setup: list[Operation] = [chunk, *split_ops]
    inits: list[SSAValue] = []
    for reduction in plan.reductions:
        element = span.iter_args[reduction.position].type
        assert isinstance(element, AnyFloat)
        identity = arith.ConstantOp(FloatAttr(reduction.identity, element))
        lanes = loop.SplatOp(identity.result, VectorType(element, [width]))
        setup += [identity, lanes]
        inits.append(lanes.result)
    Rewriter.insert_op(setup, before)

    main = span.new_loop(span.lb, split, chunk.result, inits)
    main.attributes.pop(loop.VECTORIZE, None)
    body = main.regions[0].block
    emitter = _Emitter(plan, width, before)
    emitter.mapping.update(zip(op.regions[0].block.args, body.args, strict=True))
    emitter.block(op.regions[0].block, body)
    accumulators = [emitter.mapping[r.combine.results[0]] for r in plan.reductions]
    body.add_op(loop.YieldOp(*accumulators))
    Rewriter.insert_op(main, before)

    finals: list[SSAValue] = []
    for reduction, accumulator in zip(plan.reductions, main.results, strict=True):
        lanes = loop.VReduceOp(reduction.kind, accumulator)
        start = span.iter_args[reduction.position]
        combined = reduction.build(start, lanes.result)
        Rewriter.insert_op([lanes, combined], before)
        finals.append(combined.results[0])
    if split == span.ub:
        replace_loop(op, finals)
    else:
        span.shrink_to(split, finals)
        op.attributes.pop(loop.VECTORIZE, None)


def _check_widths(plan: _Plan, width: int) -> None:
    """Each vector access must fit in its buffer's innermost dimension."""
    for op in plan.span.op.walk():
        if isinstance(op, memref.LoadOp | memref.StoreOp):
            kinds = [plan.kind(i) for i in op.indices]
            if kinds and kinds[-1] == Kind.LINEAR:
                buffer_type = op.memref.type
                assert isinstance(buffer_type, MemRefType)
                innermost = buffer_type.get_shape()[-1]
                if innermost < width:
                    raise NotVectorizable(
                        f"{op.name} of {buffer_type}: the innermost dimension "
                        f"{innermost} is narrower than the width {width}"
                    )


def auto_width(op: LoopOp) -> int:
    """The host's widest vector for the loop's widest float, no wider than a
    constant trip count needs (but at least 16 bytes)."""
    span = LoopRange.of(op)
    if isinstance(span, str):
        raise NotVectorizable(span)
    plan = _Plan(span)
    plan.analyze()
    element_bytes = max(
        (t.bitwidth // 8 for t in plan.element_types if isinstance(t, AnyFloat)),
        default=4,
    )
    width = host_vector_bytes() // element_bytes
    smallest = max(VECTOR_WIDTHS[0], _MIN_VECTOR_BYTES // element_bytes)
    trips = span.trip_count()
    while trips is not None and width > trips and width > smallest:
        width //= 2
    return width


@dataclass(frozen=True)
class LoopVectorizePass(ModulePass):
    """Vectorize annotated loops (and, with ``width``, every innermost loop).

    ``vectorize = 8`` on an elementwise loop of 19 iterations::

        loop.for %j = %c0 to %c19 step %c1 {
          %x = memref.load %X[%i, %j] : memref<4x19xf32>
          %y = arith.mulf %x, %scale : f32
          memref.store %y, %Y[%i, %j] : memref<4x19xf32>
        } {vectorize = 8 : i64}

    becomes a vector loop over 16 iterations, and the scalar loop for the last 3::

        %s = loop.splat %scale : vector<8xf32>
        loop.for %j = %c0 to %c16 step %c8 {
          %x = loop.vload %X[%i, %j] : memref<4x19xf32>, vector<8xf32>
          %y = arith.mulf %x, %s : vector<8xf32>
          loop.vstore %y, %Y[%i, %j] : memref<4x19xf32>, vector<8xf32>
        }
        loop.for %j = %c16 to %c19 step %c1 { ... the scalar body ... }

    Options: ``width`` is 0 (only annotated loops), a vector width (also every
    innermost loop, at that width) or ``auto`` (at the host's width); ``debug``
    reports every loop left scalar, and why.
    """

    name = "loop-vectorize"

    width: int | str = 0
    """0: annotated loops only; N or ``auto``: every innermost loop too."""

    debug: bool = False
    """Report on stderr why a loop was left scalar."""

    def apply(self, ctx: Context, op: ModuleOp) -> None:
        if self.width not in (0, "auto") and self.width not in VECTOR_WIDTHS:
            widths = ", ".join(str(w) for w in VECTOR_WIDTHS)
            raise ValueError(
                f"{self.name}: width must be 0, auto or a vector width ({widths}), "
                f"got {self.width}"
            )
        innermost = innermost_loops(op) if self.width != 0 else []
        done: set[Operation] = set()
        tried: set[Operation] = set()
        for candidate in [c for c in op.walk() if is_loop(c)]:
            width = annotation(candidate, loop.VECTORIZE)
            if width is None:
                continue
            assert isinstance(candidate, loop.ForOp | loop.ParallelOp)
            del candidate.attributes[loop.VECTORIZE]
            if self._try(candidate, width):
                done.add(candidate)
                continue
            for inner in innermost_loops(candidate):
                if (
                    inner is not candidate
                    and loop.VECTORIZE not in inner.attributes
                    and self._try(inner, width)
                ):
                    done.add(inner)
        width = None if self.width == "auto" else int(self.width)
        for candidate in innermost:
            enclosing = [a for a in _ancestors(candidate) if is_loop(a)]
            if candidate in done or any(a in done for a in enclosing):
                continue
            for target in [candidate, *enclosing]:
                assert isinstance(target, loop.ForOp | loop.ParallelOp)
                if target not in tried and self._try(target, width):
                    done.add(target)
                    break
                tried.add(target)

    def _try(self, candidate: LoopOp, width: int | None) -> bool:
        """Vectorize ``candidate`` (at the host's width if None); report a refusal."""
        try:
            vectorize(candidate, width or auto_width(candidate))
        except NotVectorizable as reason:
            if self.debug:
                remark(self.name, candidate, f"not vectorized: {reason}")
            return False
        return True


def _ancestors(op: Operation) -> list[Operation]:
    found: list[Operation] = []
    parent = op.parent_op()
    while parent is not None:
        found.append(parent)
        parent = parent.parent_op()
    return found
