"""The tensor dialect's ops: ``tensor.compute``, ``tensor.read`` and ``tensor.yield``.

A ``tensor.compute`` defines every element of its result by a scalar body, run once
per point of the output domain (the result's shape). With a reduction, the body also
runs over a reduction domain and its values are folded by a combiner, starting from
an init value. The body reads tensors defined outside the compute with
``tensor.read`` at index expressions of its block arguments::

    %c = tensor.compute (%i, %j) reduce add (%k) in [784] init 0.0 : tensor<64x10xf32> {
      %a = tensor.read %x[%i, %k] : tensor<64x784xf32>
      %b = tensor.read %w[%k, %j] : tensor<784x10xf32>
      %p = arith.mulf %a, %b : f32
      tensor.yield %p : f32
    }

which means ``c[i, j] = 0.0 + sum over k < 784 of x[i, k] * w[k, j]``. The body sees
every value of the enclosing scopes (it is not isolated from above), so inlining a
producer into a consumer is cloning the producer's body at the read. See
docs/dialects/tensor.md for the design.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import NamedTuple, TypeAlias

from xdsl.builder import ImplicitBuilder
from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FileLineColLoc,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IndexType,
    IntegerAttr,
    IntegerType,
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
    region_def,
    result_def,
    traits_def,
    var_operand_def,
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

FLOAT_TYPES = (Float16Type, Float32Type, Float64Type)
SCALAR_TYPES = (IntegerType, IndexType, *FLOAT_TYPES)
"""Element types a compute may produce and a read may load."""

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

ScalarAttr: TypeAlias = IntegerAttr | FloatAttr
"""An init or pad value: a constant of the tensor's element type."""


class Combiner(StrEnum):
    """How a reduction folds the body's values; max and min propagate NaN."""

    ADD = "add"
    MUL = "mul"
    MAX = "max"
    MIN = "min"


COMBINERS = tuple(combiner.value for combiner in Combiner)


def is_scalar_type(attr: Attribute) -> bool:
    return isinstance(attr, SCALAR_TYPES)


def scalar_attr(value: int | float, element_type: Attribute) -> ScalarAttr:
    """``value`` as a constant of ``element_type``, for init and pad values."""
    if isinstance(element_type, FLOAT_TYPES):
        return FloatAttr(float(value), element_type)
    assert isinstance(element_type, IntegerType | IndexType)
    return IntegerAttr(int(value), element_type)


def combiner_identity(combiner: Combiner, element_type: Attribute) -> ScalarAttr:
    """The init value that makes a reduction a plain sum, product, max or min.

    Integers are signed, except i1, a boolean: max is "any" and min is "all".
    """
    if isinstance(element_type, FLOAT_TYPES):
        lowest, highest = float("-inf"), float("inf")
    elif element_type == IntegerType(1):
        lowest, highest = 0, 1
    else:
        width = element_type.width.data if isinstance(element_type, IntegerType) else 64
        lowest, highest = -(2 ** (width - 1)), 2 ** (width - 1) - 1
    identity = {
        Combiner.ADD: 0,
        Combiner.MUL: 1,
        Combiner.MAX: lowest,
        Combiner.MIN: highest,
    }[combiner]
    return scalar_attr(identity, element_type)


def is_defined_inside(value: SSAValue, op: Operation) -> bool:
    """Whether ``value`` is a result of ``op``, or is defined in one of its regions."""
    return op.is_ancestor(value.owner)


def enclosing_compute(op: Operation) -> ComputeOp | None:
    """The innermost ``tensor.compute`` whose body holds ``op``."""
    parent = op.parent_op()
    while parent is not None and not isinstance(parent, ComputeOp):
        parent = parent.parent_op()
    return parent


class ComputeCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.tensor.canonicalize import FoldIdentityCompute

        return (FoldIdentityCompute(),)


class ReadCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.tensor.canonicalize import FoldReadOfUniformCompute

        return (FoldReadOfUniformCompute(),)


@irdl_op_definition
class ComputeOp(IRDLOperation):
    """A tensor defined elementwise by a scalar body, optionally reducing.

    The body's block arguments are ``index`` values: the output dims (one per result
    dim, in order) then the reduction dims (one per extent). Without a reduction,
    ``result[o] = body(o)``. With one,
    ``result[o] = init ⊕ body(o, r0) ⊕ body(o, r1) ⊕ ...`` over the reduction domain
    in row-major order, ``⊕`` being the combiner. A ``schedule`` says how to run the
    loops, never what they compute.
    """

    name = "tensor.compute"

    reduce_extents = opt_prop_def(DenseArrayBase.constr(i64))
    combiner = opt_prop_def(StringAttr)
    init = opt_prop_def(Attribute)
    schedule = opt_prop_def(ScheduleAttr)

    body = region_def("single_block")
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
        if schedule is not None:
            properties["schedule"] = schedule
        super().__init__(
            result_types=[result_type], properties=properties, regions=[body]
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
        """
        rank = len(result_type.get_shape()) + len(reduce_extents)
        block = Block(arg_types=[IndexType()] * rank)
        with ImplicitBuilder(block) as indices:
            YieldOp(body(*indices))
        return cls(
            result_type,
            Region(block),
            reduce_extents=reduce_extents,
            combiner=combiner,
            init=init,
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
        self._verify_divisors()
        if self.schedule is not None:
            self._verify_schedule(self.schedule)

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
        if not isinstance(block.last_op, YieldOp):
            found = "an empty body" if block.last_op is None else block.last_op.name
            raise VerifyException(
                f"tensor.compute: body must end with tensor.yield, found {found}"
            )

    def _verify_divisors(self) -> None:
        """An integer division by an index that is 0 somewhere is an error.

        Division by zero has no meaning, and compiled code does not check for it
        (a ``divsi`` by a reduction index crashed the process). As for reads, an
        index's values are known when it is a compute's index or a constant.
        """
        for op in self.body.walk():
            if not isinstance(op, INTEGER_DIVISIONS) or len(op.operands) != 2:
                continue  # a malformed division is reported by its own verifier
            values = _index_values(op.rhs, enclosing_compute(op) or self)
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
        if self.schedule is not None:
            printer.print_string(" schedule")
            self.schedule.print_parameters(printer)
        printer.print_op_attributes(self.attributes, print_keyword=True)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)
        printer.print_string(" ")
        printer.print_region(self.body, print_entry_block_args=False)

    @classmethod
    def parse(cls, parser: Parser) -> ComputeOp:
        outputs = _parse_index_names(parser)
        reductions: list[Parser.UnresolvedArgument] = []
        properties: dict[str, Attribute] = {}
        init: ScalarLiteral | None = None
        schedule: ScheduleAttr | None = None
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
        if parser.parse_optional_keyword("schedule") is not None:
            schedule = ScheduleAttr.new(ScheduleAttr.parse_parameters(parser))
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
        if schedule is not None:
            properties["schedule"] = schedule
        arguments = [name.resolve(IndexType()) for name in (*outputs, *reductions)]
        body = parser.parse_region(arguments)
        return cls.create(
            result_types=[result_type],
            properties=properties,
            attributes=dict(attributes.data) if attributes is not None else {},
            regions=[body],
        )


@irdl_op_definition
class ReadOp(IRDLOperation):
    """One element of a tensor, at index values computed in a compute's body.

    Indices must be in bounds unless the read has a ``pad`` value, which it then
    yields for any index outside the tensor (zero padding of a convolution, -inf
    padding of a max pool)::

        %v = tensor.read %x[%i, %k] : tensor<64x784xf32>
        %p = tensor.read %img[%y, %x] pad 0.0 : tensor<8x8xf32>

    The indices may be any index values: affine expressions of the block arguments,
    or data-dependent ones (an ``arith.index_cast`` of another read, for a gather).
    """

    name = "tensor.read"

    tensor = operand_def(TensorType)
    indices = var_operand_def(IndexType)
    pad = opt_prop_def(Attribute)
    result = result_def()

    traits = traits_def(Pure(), ReadCanonicalization())

    def __init__(
        self,
        tensor: SSAValue | Operation,
        indices: Sequence[SSAValue | Operation],
        pad: Attribute | int | float | None = None,
    ):
        tensor_type = SSAValue.get(tensor).type
        assert isinstance(tensor_type, TensorType)
        element_type: Attribute = tensor_type.element_type
        properties: dict[str, Attribute] = {}
        if pad is not None:
            if not isinstance(pad, Attribute):
                pad = scalar_attr(pad, element_type)
            properties["pad"] = pad
        super().__init__(
            operands=[tensor, indices],
            result_types=[element_type],
            properties=properties,
        )

    def verify_(self) -> None:
        compute = enclosing_compute(self)
        if compute is None:
            parent = self.parent_op()
            where = "nothing" if parent is None else parent.name
            raise VerifyException(
                f"tensor.read: must be inside a tensor.compute body, but its parent "
                f"is {where}"
            )
        if is_defined_inside(self.tensor, compute):
            raise VerifyException(
                "tensor.read: the tensor must be defined outside the enclosing "
                "tensor.compute (a compute cannot read its own result or a value of "
                "its body)"
            )
        tensor_type = self.tensor.type
        rank = len(tensor_type.get_shape())
        if len(self.indices) != rank:
            raise VerifyException(
                f"tensor.read: {tensor_type} has rank {rank} but "
                f"{len(self.indices)} indices were given"
            )
        element_type = tensor_type.element_type
        if self.result.type != element_type:
            raise VerifyException(
                f"tensor.read: result type {self.result.type} must be the element "
                f"type {element_type} of {tensor_type}"
            )
        pad = self.pad
        if pad is not None and (
            not isinstance(pad, ScalarAttr) or pad.type != element_type
        ):
            raise VerifyException(
                f"tensor.read: pad value {pad} must be a constant of the element "
                f"type {element_type} of {tensor_type}"
            )
        if pad is None:
            self._verify_in_bounds(compute)

    def _verify_in_bounds(self, compute: ComputeOp) -> None:
        """A read without pad whose index surely leaves the tensor is an error.

        Compiled code loads without a check, so such a read would touch memory
        outside the buffer. The values of an index are known exactly when it is a
        compute's block argument or a constant; other index expressions are the
        writer's responsibility (the interpreter checks them at run time).
        """
        shape = self.tensor.type.get_shape()
        for dim, (index, size) in enumerate(zip(self.indices, shape, strict=True)):
            values = _index_values(index, compute)
            if values is not None and not (0 <= values[0] and values[1] < size):
                raise VerifyException(
                    f"tensor.read: index {dim} takes values in [{values[0]}, "
                    f"{values[1]}], outside dim {dim} of size {size} of "
                    f"{self.tensor.type}; a read without a pad value must stay in "
                    "bounds"
                )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.tensor)
        with printer.in_square_brackets():
            printer.print_list(self.indices, printer.print_operand)
        if isinstance(self.pad, ScalarAttr):
            printer.print_string(" pad ")
            print_scalar(printer, self.pad)
        elif self.pad is not None:
            printer.print_string(" pad ")
            printer.print_attribute(self.pad)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.tensor.type)

    @classmethod
    def parse(cls, parser: Parser) -> ReadOp:
        tensor = parser.parse_unresolved_operand()
        indices = parser.parse_comma_separated_list(
            parser.Delimiter.SQUARE, lambda: parser.parse_operand(IndexType())
        )
        pad = None
        if parser.parse_optional_keyword("pad") is not None:
            pad = parse_scalar_literal(parser)
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        start = parser.pos
        tensor_type = parser.parse_type()
        if not isinstance(tensor_type, TensorType):
            parser.raise_error(
                f"tensor.read: expected the type of the tensor read, got {tensor_type}",
                start,
                parser.pos,
            )
        element_type: Attribute = tensor_type.element_type
        op = cls(
            parser.resolve_operand(tensor, tensor_type),
            indices,
            None if pad is None else pad.to_attr(element_type, parser),
        )
        op.attributes |= attributes
        return op


@irdl_op_definition
class YieldOp(IRDLOperation):
    """Ends a compute's body with the scalar for the current point of its domain.

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


def _index_values(index: SSAValue, compute: ComputeOp) -> tuple[int, int] | None:
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
        extents = (*owner.output_shape, *owner.reduction_extents)
        if index.index >= len(extents) or extents[index.index] == 0:
            return None
        return 0, extents[index.index] - 1
    if isinstance(index.owner, arith.ConstantOp) and isinstance(
        index.owner.value, IntegerAttr
    ):
        value = index.owner.value.value.data
        return value, value
    return None


# --- Custom syntax helpers -----------------------------------------------------------


class ScalarLiteral(NamedTuple):
    """An init or pad literal, read before the element type that gives it its type.

    As in MLIR, a hexadecimal integer stands for the bit pattern of a float, which is
    how infinities and NaN are written (``0xFF800000`` is -inf in f32).
    """

    value: int | float
    hexadecimal: bool
    start: int
    end: int

    def to_attr(self, element_type: Attribute, parser: Parser) -> Attribute:
        if isinstance(element_type, FLOAT_TYPES) and self.hexadecimal:
            assert isinstance(self.value, int)
            size = element_type.compile_time_size
            if not 0 <= self.value < 2 ** (8 * size):
                parser.raise_error(
                    f"bit pattern {hex(self.value)} does not fit {element_type}",
                    self.start,
                    self.end,
                )
            raw = self.value.to_bytes(size, "little")
            return FloatAttr(next(element_type.iter_unpack(raw)), element_type)
        if isinstance(element_type, FLOAT_TYPES):
            return FloatAttr(float(self.value), element_type)
        if isinstance(element_type, IntegerType | IndexType) and isinstance(
            self.value, int
        ):
            return IntegerAttr(self.value, element_type)
        # A mismatch (a float for an integer tensor) is left for the verifier.
        return FloatAttr(float(self.value), Float64Type())


def parse_scalar_literal(parser: Parser) -> ScalarLiteral:
    token = parser._current_token  # pyright: ignore[reportPrivateUsage]
    hexadecimal = token.text.lower().startswith("0x")
    start = parser.pos
    if (boolean := parser.parse_optional_boolean()) is not None:
        return ScalarLiteral(int(boolean), False, start, parser.pos)
    return ScalarLiteral(parser.parse_number(), hexadecimal, start, parser.pos)


def print_scalar(printer: Printer, attr: ScalarAttr) -> None:
    if isinstance(attr, FloatAttr):
        printer.print_float(attr.value.data, attr.type)
    else:
        printer.print_int(attr.value.data, attr.type)


def _print_index_names(printer: Printer, args: Sequence[BlockArgument]) -> None:
    with printer.in_parens():
        printer.print_list(args, printer.print_operand)


def _parse_index_names(parser: Parser) -> list[Parser.UnresolvedArgument]:
    return parser.parse_comma_separated_list(
        parser.Delimiter.PAREN, lambda: parser.parse_argument(expect_type=False)
    )
