"""``tensor.compute`` and ``tensor.yield``: a tensor defined point by point.

A ``tensor.compute`` defines every element of its result by a scalar body, run once
per point of the output domain (the result's shape). With a reduction, the body also
runs over a reduction domain and its values are folded by a combiner, starting from
an init value; an optional ``epilogue`` then maps each folded value to the element
stored. The body reads tensors defined outside the compute with ``tensor.read`` at
index expressions of its block arguments::

    %c = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x10xf32> {
      %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
      %b = tensor.read %w[%k, %j] : tensor<784x10xf32>
      %p = arith.mulf %a, %b : f32
      tensor.yield %p : f32
    } epilogue {
    ^bb0(%i2: index, %j2: index, %sum: f32):
      %bias = tensor.read %b[%j2] : tensor<10xf32>
      %r = arith.addf %sum, %bias : f32
      tensor.yield %r : f32
    }

which means ``c[i, j] = sum over k < 784 of x[i, k] * w[k, j], plus b[j]``. The body
sees every value of the enclosing scopes (it is not isolated from above), so inlining
a producer into a consumer is cloning the producer's body at the read. A
``compute_at`` depth places the compute's loop nest inside the nest of the compute
that reads it (:mod:`.compute_at`). See docs/dialects/tensor.md for the design.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from xdsl.builder import ImplicitBuilder
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    I64,
    DenseArrayBase,
    FileLineColLoc,
    IndexType,
    IntegerAttr,
    StringAttr,
    TensorType,
    i64,
)
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    opt_region_def,
    region_def,
    result_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.pattern_rewriter import RewritePattern
from xdsl.printer import Printer
from xdsl.traits import (
    HasCanonicalizationPatternsTrait,
    IsTerminator,
    Pure,
    RecursivelySpeculatable,
    RecursiveMemoryEffect,
    ReturnLike,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.tensor.attributes import ScheduleAttr
from dlc.dialects.tensor.scalars import (
    COMBINERS,
    Combiner,
    ScalarAttr,
    ScalarLiteral,
    combiner_identity,
    is_scalar_type,
    parse_scalar_literal,
    print_scalar,
    scalar_attr,
)

INTEGER_DIVISIONS = (
    arith.DivUIOp,
    arith.DivSIOp,
    arith.RemUIOp,
    arith.RemSIOp,
    arith.CeilDivUIOp,
    arith.CeilDivSIOp,
    arith.FloorDivSIOp,
)
"""Ops whose divisor must not be 0."""


def is_defined_inside(value: SSAValue, op: Operation) -> bool:
    """Whether ``value`` is a result of ``op``, or is defined in one of its regions."""
    return op.is_ancestor(value.owner)


def enclosing_compute(op: Operation) -> ComputeOp | None:
    """The innermost ``tensor.compute`` whose body or epilogue holds ``op``."""
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, ComputeOp):
        parent = parent.parent_op()
    return parent


class ComputeCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.tensor.canonicalize import FoldIdentityCompute

        return (FoldIdentityCompute(),)


@irdl_op_definition
class ComputeOp(IRDLOperation):
    """A tensor defined elementwise by a scalar body, optionally reducing.

    The body's block arguments are ``index`` values: the output dims (one per result
    dim, in order) then the reduction dims (one per extent). Without a reduction,
    ``result[o] = body(o)``. With one,
    ``result[o] = epilogue(o, init ⊕ body(o, r0) ⊕ body(o, r1) ⊕ ...)`` over the
    reduction domain in row-major order, ``⊕`` being the combiner; without an
    epilogue, the folded value itself. The epilogue's block arguments are the output
    indices, then the folded value. A ``schedule`` and a ``compute_at`` depth say
    how to run the loops, never what they compute.
    """

    name = "tensor.compute"

    reduce_extents = opt_prop_def(DenseArrayBase.constr(i64))
    combiner = opt_prop_def(StringAttr)
    init = opt_prop_def(Attribute)
    compute_at = opt_prop_def(IntegerAttr[I64])
    schedule = opt_prop_def(ScheduleAttr)

    body = region_def("single_block")
    epilogue = opt_region_def("single_block")
    result = result_def(TensorType)

    traits = traits_def(
        RecursiveMemoryEffect(), RecursivelySpeculatable(), ComputeCanonicalization()
    )

    def __init__(
        self,
        result_type: TensorType,
        body: Region,
        *,
        reduce_extents: Sequence[int] = (),
        combiner: Combiner | str = Combiner.ADD,
        init: Attribute | int | float | None = None,
        epilogue: Region | None = None,
        compute_at: int | None = None,
        schedule: ScheduleAttr | None = None,
    ):
        """Build a compute; with ``reduce_extents``, init defaults to the identity."""
        properties: dict[str, Attribute] = {}
        if reduce_extents:
            kind = Combiner(combiner)
            element_type = result_type.element_type
            if init is None:
                init = combiner_identity(kind, element_type)
            elif not isinstance(init, Attribute):
                init = scalar_attr(init, element_type)
            properties["reduce_extents"] = DenseArrayBase.from_list(
                i64, list(reduce_extents)
            )
            properties["combiner"] = StringAttr(kind.value)
            properties["init"] = init
        if compute_at is not None:
            properties["compute_at"] = IntegerAttr(compute_at, i64)
        if schedule is not None:
            properties["schedule"] = schedule
        super().__init__(
            result_types=[result_type],
            properties=properties,
            regions=[body, epilogue],
        )

    @classmethod
    def from_callable(
        cls,
        result_type: TensorType,
        body: Callable[..., SSAValue | Operation],
        *,
        reduce_extents: Sequence[int] = (),
        combiner: Combiner | str = Combiner.ADD,
        init: Attribute | int | float | None = None,
        epilogue: Callable[..., SSAValue | Operation] | None = None,
        schedule: ScheduleAttr | None = None,
    ) -> ComputeOp:
        """Build a compute whose body ``body(*indices)`` creates, à la ``te.compute``.

        ``body`` receives one index value per output dim then per reduction dim; the
        ops it creates go into the body, and the value it returns is yielded::

            ComputeOp.from_callable(
                TensorType(f32, [64, 10]),
                lambda i, j, k: arith.MulfOp(ReadOp(x, [i, k]), ReadOp(w, [k, j])),
                reduce_extents=[784],
            )

        ``epilogue(*output_indices, folded)`` likewise builds the epilogue.
        """
        rank = len(result_type.get_shape())
        block = Block(arg_types=[IndexType()] * (rank + len(reduce_extents)))
        with ImplicitBuilder(block) as indices:
            YieldOp(body(*indices))
        epilogue_region = None
        if epilogue is not None:
            arg_types = [*[IndexType()] * rank, result_type.element_type]
            epilogue_block = Block(arg_types=arg_types)
            with ImplicitBuilder(epilogue_block) as arguments:
                YieldOp(epilogue(*arguments))
            epilogue_region = Region(epilogue_block)
        return cls(
            result_type,
            Region(block),
            reduce_extents=reduce_extents,
            combiner=combiner,
            init=init,
            epilogue=epilogue_region,
            schedule=schedule,
        )

    @property
    def output_shape(self) -> tuple[int, ...]:
        return tuple(self.result.type.get_shape())

    @property
    def element_type(self) -> Attribute:
        return self.result.type.element_type

    @property
    def has_reduction(self) -> bool:
        return self.reduce_extents is not None

    @property
    def reduction_extents(self) -> tuple[int, ...]:
        if self.reduce_extents is None:
            return ()
        return tuple(self.reduce_extents.get_values())

    @property
    def output_indices(self) -> tuple[BlockArgument, ...]:
        return tuple(self.body.block.args[: len(self.output_shape)])

    @property
    def reduction_indices(self) -> tuple[BlockArgument, ...]:
        return tuple(self.body.block.args[len(self.output_shape) :])

    @property
    def yielded(self) -> SSAValue:
        """The scalar the body yields for one point of the domain."""
        terminator = self.body.block.last_op
        assert isinstance(terminator, YieldOp)
        return terminator.value

    @property
    def computed_at(self) -> int | None:
        """The ``compute_at`` depth, or None for a compute with its own loop nest."""
        return None if self.compute_at is None else self.compute_at.value.data

    def index_extent(self, index: BlockArgument) -> int | None:
        """The number of values a block argument of the body or epilogue takes.

        None for the epilogue's folded value, which is not an index.
        """
        extents = (*self.output_shape, *self.reduction_extents)
        if index.block is self.body.block:
            return extents[index.index] if index.index < len(extents) else None
        if self.epilogue is not None and index.block is self.epilogue.block:
            rank = len(self.output_shape)
            return extents[index.index] if index.index < rank else None
        return None

    def verify_(self) -> None:
        result_type = self.result.type
        if any(dim < 0 for dim in self.output_shape) or not is_scalar_type(
            result_type.element_type
        ):
            raise VerifyException(
                "tensor.compute: result must be a statically shaped tensor of "
                f"integers, indices or floats, got {result_type}"
            )
        self._verify_reduction()
        self._verify_body()
        self._verify_epilogue()
        self._verify_divisors()
        if self.schedule is not None:
            self._verify_schedule(self.schedule)
        if self.compute_at is not None:
            from dlc.dialects.tensor.compute_at import verify_compute_at

            verify_compute_at(self)

    def _verify_reduction(self) -> None:
        parts = {"reduce_extents": self.reduce_extents, "combiner": self.combiner}
        parts["init"] = self.init
        given = [name for name, attr in parts.items() if attr is not None]
        if not given:
            return
        if len(given) != len(parts):
            raise VerifyException(
                "tensor.compute: a reduction needs reduce_extents, combiner and init "
                f"together, got only {' and '.join(given)}"
            )
        extents = self.reduction_extents
        if not extents:
            raise VerifyException(
                "tensor.compute: a reduction needs at least one dimension, "
                "got reduce_extents = []"
            )
        if any(extent < 0 for extent in extents):
            raise VerifyException(
                "tensor.compute: reduction extents must be non-negative, "
                f"got {list(extents)}"
            )
        assert self.combiner is not None
        if self.combiner.data not in COMBINERS:
            raise VerifyException(
                f"tensor.compute: unknown combiner '{self.combiner.data}', "
                f"expected one of {', '.join(COMBINERS)}"
            )
        init = self.init
        if not isinstance(init, ScalarAttr) or init.type != self.element_type:
            raise VerifyException(
                f"tensor.compute: init value {init} must be a constant of the "
                f"result element type {self.element_type}"
            )

    def _verify_body(self) -> None:
        block = self.body.block
        rank, reductions = len(self.output_shape), len(self.reduction_extents)
        if len(block.args) != rank + reductions:
            raise VerifyException(
                f"tensor.compute: body must take {rank + reductions} index arguments "
                f"({rank} output dims, then {reductions} reduction dims), "
                f"got {len(block.args)}"
            )
        for number, arg in enumerate(block.args):
            if not isinstance(arg.type, IndexType):
                raise VerifyException(
                    f"tensor.compute: body argument #{number} must be index, "
                    f"got {arg.type}"
                )
        _verify_terminator(block, "body")

    def _verify_epilogue(self) -> None:
        """The epilogue maps (output indices, folded value) to the stored element."""
        if self.epilogue is None:
            return
        if not self.has_reduction:
            raise VerifyException(
                "tensor.compute: an epilogue maps the folded value of a reduction, "
                "but the compute has no reduction"
            )
        block = self.epilogue.block
        rank = len(self.output_shape)
        if len(block.args) != rank + 1:
            raise VerifyException(
                f"tensor.compute: epilogue must take {rank + 1} arguments ({rank} "
                f"output indices, then the folded value), got {len(block.args)}"
            )
        for number, arg in enumerate(block.args[:rank]):
            if not isinstance(arg.type, IndexType):
                raise VerifyException(
                    f"tensor.compute: epilogue argument #{number} must be index, "
                    f"got {arg.type}"
                )
        folded = block.args[rank].type
        if folded != self.element_type:
            raise VerifyException(
                f"tensor.compute: epilogue's last argument is the folded value, of "
                f"the element type {self.element_type}, got {folded}"
            )
        _verify_terminator(block, "epilogue")

    def _verify_divisors(self) -> None:
        """An integer division by an index that is 0 somewhere is an error.

        Division by zero has no meaning, and compiled code does not check for it
        (a ``divsi`` by a reduction index crashed the process). As for reads, an
        index's values are known when it is a compute's index or a constant.
        """
        for op in self.walk():
            if not isinstance(op, INTEGER_DIVISIONS) or len(op.operands) != 2:
                continue  # a malformed division is reported by its own verifier
            values = index_value_range(op.rhs, enclosing_compute(op) or self)
            if values is not None and values[0] <= 0 <= values[1]:
                location = op.location
                line = (
                    f" on line {location.line.data}"
                    if isinstance(location, FileLineColLoc)
                    else ""
                )
                raise VerifyException(
                    f"tensor.compute: {op.name}{line} divides by an index that takes "
                    f"the value 0 (its values are [{values[0]}, {values[1]}])"
                )

    def _verify_schedule(self, schedule: ScheduleAttr) -> None:
        rank, reductions = len(self.output_shape), len(self.reduction_extents)
        tile = schedule.tile_sizes
        if tile and len(tile) != rank + reductions:
            raise VerifyException(
                f"tensor.compute: schedule has {len(tile)} tile sizes but the compute "
                f"has {rank + reductions} loops ({rank} output dims, then "
                f"{reductions} reduction dims)"
            )
        if any(size < 0 for size in tile):
            raise VerifyException(
                "tensor.compute: schedule tile sizes must be non-negative "
                f"(0 leaves a loop untiled), got {list(tile)}"
            )
        parallel = schedule.parallel_dims
        for dim in parallel:
            if not 0 <= dim < rank:
                raise VerifyException(
                    f"tensor.compute: schedule parallel dim {dim} is not an output dim "
                    f"(expected 0 <= dim < {rank}); reduction dims cannot run in "
                    "parallel"
                )
        if len(set(parallel)) != len(parallel):
            raise VerifyException(
                f"tensor.compute: schedule parallel dims {list(parallel)} name a dim "
                "twice"
            )
        if schedule.vector_width < 1:
            raise VerifyException(
                "tensor.compute: schedule vector width must be at least 1, "
                f"got {schedule.vector_width}"
            )
        if schedule.vector_width > 1 and rank == 0:
            raise VerifyException(
                "tensor.compute: schedule vectorizes the innermost output dim, but "
                f"the result {self.result.type} has none"
            )
        if schedule.unroll_factor < 1:
            raise VerifyException(
                "tensor.compute: schedule unroll factor must be at least 1, "
                f"got {schedule.unroll_factor}"
            )

    def print(self, printer: Printer) -> None:
        block = self.body.block
        rank = len(self.output_shape)
        reductions = len(self.reduction_extents)
        reduction_printable = not self.has_reduction or (
            self.combiner is not None and isinstance(self.init, ScalarAttr)
        )
        if len(block.args) != rank + reductions or not reduction_printable:
            printer.print_op_with_default_format(self)
            return
        printer.print_string(" ")
        _print_index_names(printer, block.args[:rank])
        if self.has_reduction:
            assert self.combiner is not None and isinstance(self.init, ScalarAttr)
            printer.print_string(f" reduce {self.combiner.data} ")
            _print_index_names(printer, block.args[rank:])
            printer.print_string(" in ")
            with printer.in_square_brackets():
                printer.print_list(self.reduction_extents, printer.print_int)
            printer.print_string(" init ")
            print_scalar(printer, self.init)
        if self.computed_at is not None:
            printer.print_string(f" compute_at {self.computed_at}")
        if self.schedule is not None:
            printer.print_string(" schedule")
            self.schedule.print_parameters(printer)
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)
        if self.epilogue is not None:
            printer.print_string(" epilogue ")
            printer.print_region(self.epilogue, print_entry_block_args=True)

    @classmethod
    def parse(cls, parser: Parser) -> ComputeOp:
        outputs = _parse_index_names(parser)
        reductions: list[Parser.UnresolvedArgument] = []
        properties: dict[str, Attribute] = {}
        init: ScalarLiteral | None = None
        if parser.parse_optional_keyword("reduce") is not None:
            combiner = parser.parse_identifier(" (a combiner: add, mul, max or min)")
            reductions = _parse_index_names(parser)
            parser.parse_keyword("in")
            start = parser.pos
            extents = parser.parse_comma_separated_list(
                parser.Delimiter.SQUARE, parser.parse_integer
            )
            if len(extents) != len(reductions):
                parser.raise_error(
                    f"tensor.compute: {len(reductions)} reduction indices need "
                    f"{len(reductions)} extents, got {len(extents)}",
                    start,
                    parser.pos,
                )
            parser.parse_keyword("init")
            init = parse_scalar_literal(parser)
            properties["reduce_extents"] = DenseArrayBase.from_list(i64, extents)
            properties["combiner"] = StringAttr(combiner)
        if parser.parse_optional_keyword("compute_at") is not None:
            depth = parser.parse_integer(allow_boolean=False)
            properties["compute_at"] = IntegerAttr(depth, i64)
        if parser.parse_optional_keyword("schedule") is not None:
            parameters = ScheduleAttr.parse_parameters(parser)
            properties["schedule"] = ScheduleAttr.new(parameters)
        attributes = parser.parse_optional_attr_dict_with_keyword()
        parser.parse_punctuation(":")
        start = parser.pos
        result_type = parser.parse_type()
        if not isinstance(result_type, TensorType):
            parser.raise_error(
                f"tensor.compute: expected a tensor result type, got {result_type}",
                start,
                parser.pos,
            )
        rank = len(result_type.get_shape())
        if len(outputs) != rank:
            parser.raise_error(
                f"tensor.compute: {len(outputs)} output indices for the rank-{rank} "
                f"result {result_type}",
                start,
                parser.pos,
            )
        if init is not None:
            properties["init"] = init.to_attr(result_type.element_type, parser)
        arguments = [name.resolve(IndexType()) for name in (*outputs, *reductions)]
        regions = [parser.parse_region(arguments)]
        if parser.parse_optional_keyword("epilogue") is not None:
            regions.append(parser.parse_region())
        return cls.create(
            result_types=[result_type],
            properties=properties,
            attributes=dict(attributes.data) if attributes is not None else {},
            regions=regions,
        )


@irdl_op_definition
class YieldOp(IRDLOperation):
    """Ends a compute's body (or epilogue) with the scalar for the current point.

    tensor.yield %p : f32
    """

    name = "tensor.yield"

    value = operand_def()

    traits = traits_def(IsTerminator(), ReturnLike(), Pure())

    assembly_format = "$value attr-dict `:` type($value)"

    def __init__(self, value: SSAValue | Operation):
        super().__init__(operands=[value])

    def verify_(self) -> None:
        compute = self.parent_op()
        if not isinstance(compute, ComputeOp):
            where = "nothing" if compute is None else compute.name
            raise VerifyException(
                f"tensor.yield: must end a tensor.compute body, but its parent is "
                f"{where}"
            )
        if self.value.type != compute.element_type:
            raise VerifyException(
                f"tensor.yield: yielded value has type {self.value.type}, but the "
                f"enclosing tensor.compute produces {compute.result.type} "
                f"(element type {compute.element_type})"
            )


def _verify_terminator(block: Block, region: str) -> None:
    if not isinstance(block.last_op, YieldOp):
        found = "an empty block" if block.last_op is None else block.last_op.name
        raise VerifyException(
            f"tensor.compute: {region} must end with tensor.yield, found {found}"
        )


def index_value_range(index: SSAValue, compute: ComputeOp) -> tuple[int, int] | None:
    """The smallest and largest value of a compute's index or of a constant.

    None when they are not known exactly, or when ``compute`` runs its body for no
    point at all (an empty domain reads nothing).
    """
    extents = (*compute.output_shape, *compute.reduction_extents)
    if 0 in extents:
        return None
    if isinstance(index, BlockArgument):
        owner = index.block.parent_op()
        if not isinstance(owner, ComputeOp):
            return None
        extent = owner.index_extent(index)
        if not extent:
            return None
        return 0, extent - 1
    if isinstance(index.owner, arith.ConstantOp) and isinstance(
        index.owner.value, IntegerAttr
    ):
        value = index.owner.value.value.data
        return value, value
    return None


def _print_index_names(printer: Printer, args: Sequence[BlockArgument]) -> None:
    with printer.in_parens():
        printer.print_list(args, printer.print_operand)


def _parse_index_names(parser: Parser) -> list[Parser.UnresolvedArgument]:
    return parser.parse_comma_separated_list(
        parser.Delimiter.PAREN, lambda: parser.parse_argument(expect_type=False)
    )
