"""Loop nests over buffers: ``loop.for``, ``loop.parallel`` and ``loop.yield``.

``loop.for`` is a sequential counted loop. Values carried from one iteration to the
next (a reduction kept in registers) are ``iter_args``; the loop's results are their
final values::

    %sum = loop.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> (f32) {
      %x = memref.load %A[%i] : memref<?xf32>
      %next = arith.addf %acc, %x : f32
      loop.yield %next : f32
    } {unroll = 4 : i64}

``loop.parallel`` is a nest of loops whose iterations are independent. ``mapping``
says which processor runs each dimension; without it, no processor is chosen::

    loop.parallel (%bi, %bj) = (%c0, %c0) to (%m, %n) step (%c32, %c32)
        mapping [gpu.block.y, gpu.block.x] {
      ...
    }

Bounds and steps are ``index`` SSA values (constants come from ``arith.constant``);
a loop runs for ``lb, lb + step, ...`` while the value is below ``ub``, so a loop
with ``ub <= lb`` does not run. Schedule annotations (``unroll``, ``vectorize``) are
discardable attributes printed after the body: requests that the scheduling passes
honour and then remove.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Self

from xdsl.dialects import arith
from xdsl.dialects.builtin import ArrayAttr, IndexType, IntegerAttr, StringAttr
from xdsl.dialects.utils import AbstractYieldOperation
from xdsl.ir import Attribute, Block, BlockArgument, Operation, Region, SSAValue
from xdsl.irdl import (
    AttrSizedOperandSegments,
    IRDLOperation,
    irdl_op_definition,
    lazy_traits_def,
    operand_def,
    opt_prop_def,
    region_def,
    var_operand_def,
    var_result_def,
)
from xdsl.parser import Parser, UnresolvedOperand
from xdsl.pattern_rewriter import RewritePattern
from xdsl.printer import Printer
from xdsl.traits import (
    HasCanonicalizationPatternsTrait,
    HasParent,
    IsTerminator,
    Pure,
    RecursiveMemoryEffect,
    SingleBlockImplicitTerminator,
)
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.loop.vector import VECTOR_WIDTHS

INDEX = IndexType()

NO_MAPPING = "none"
CPU_THREAD = "cpu.thread"
GPU_BLOCKS = ("gpu.block.x", "gpu.block.y", "gpu.block.z")
GPU_THREADS = ("gpu.thread.x", "gpu.thread.y", "gpu.thread.z")
MAPPINGS = (NO_MAPPING, CPU_THREAD, *GPU_BLOCKS, *GPU_THREADS)
"""What may run one dimension of a ``loop.parallel``.

``none``: no processor is chosen; the loop may run sequentially or be vectorized.
``cpu.thread``: each iteration is a task for the CPU thread pool, so the trip count
is the number of tasks. ``gpu.block.*`` / ``gpu.thread.*``: the trip count is the
grid / block size in that direction.
"""

UNROLL = "unroll"
VECTORIZE = "vectorize"
THREADS = "threads"


def constant_index(value: SSAValue) -> int | None:
    """The value of an ``index`` defined by ``arith.constant``, else None."""
    owner = value.owner
    if (
        isinstance(owner, arith.ConstantOp)
        and isinstance(value.type, IndexType)
        and isinstance(owner.value, IntegerAttr)
    ):
        return owner.value.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return None


def constant_trip_count(lb: SSAValue, ub: SSAValue, step: SSAValue) -> int | None:
    """How often a loop runs, when its bounds and step are constants."""
    lower, upper, stride = constant_index(lb), constant_index(ub), constant_index(step)
    if lower is None or upper is None or stride is None or stride <= 0:
        return None
    return max(0, -(-(upper - lower) // stride))


def _type_list(values: Sequence[SSAValue]) -> str:
    return "(" + ", ".join(str(v.type) for v in values) + ")"


def _check_bound(op_name: str, what: str, value: SSAValue) -> None:
    if not isinstance(value.type, IndexType):
        raise VerifyException(f"{op_name}: {what} must be index, got {value.type}")


def _check_step(op_name: str, what: str, value: SSAValue) -> None:
    step = constant_index(value)
    if step is not None and step <= 0:
        raise VerifyException(f"{op_name}: {what} must be positive, got {step}")


def _integer_annotation(op: Operation, name: str) -> int | None:
    attr = op.attributes.get(name)
    if isinstance(attr, IntegerAttr):
        return attr.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]
    return None


def _check_annotations(op: Operation) -> None:
    """``unroll`` is a positive factor, ``vectorize`` a vector width, ``threads``
    a positive thread count."""
    unroll = _integer_annotation(op, UNROLL)
    if UNROLL in op.attributes and (unroll is None or unroll < 1):
        raise VerifyException(
            f"{op.name}: annotation '{UNROLL}' must be a positive integer, "
            f"got {op.attributes[UNROLL]}"
        )
    width = _integer_annotation(op, VECTORIZE)
    if VECTORIZE in op.attributes and width not in VECTOR_WIDTHS:
        widths = ", ".join(str(w) for w in VECTOR_WIDTHS)
        raise VerifyException(
            f"{op.name}: annotation '{VECTORIZE}' must be a vector width "
            f"({widths}), got {op.attributes[VECTORIZE]}"
        )
    threads = _integer_annotation(op, THREADS)
    if THREADS in op.attributes and (threads is None or threads < 1):
        raise VerifyException(
            f"{op.name}: annotation '{THREADS}' must be a positive integer, "
            f"got {op.attributes[THREADS]}"
        )


def _print_assignment(printer: Printer, arg: BlockArgument, value: SSAValue) -> None:
    printer.print_ssa_value(arg)
    printer.print_string(" = ")
    printer.print_ssa_value(value)


def _parse_operand_list(parser: Parser) -> list[UnresolvedOperand]:
    return parser.parse_comma_separated_list(
        Parser.Delimiter.PAREN, parser.parse_unresolved_operand
    )


def _append_implicit_yield(region: Region) -> None:
    """Custom syntax may leave out a ``loop.yield`` that yields nothing."""
    block = region.block
    if block.last_op is None or not block.last_op.has_trait(IsTerminator):
        block.add_op(YieldOp())


class ForCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.loop.canonicalize import FOR_PATTERNS

        return FOR_PATTERNS


class ParallelCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.loop.canonicalize import PARALLEL_PATTERNS

        return PARALLEL_PATTERNS


@irdl_op_definition
class ForOp(IRDLOperation):
    """A sequential loop; its body takes the induction variable, then the iter_args.

    From Python, leave ``body`` out to get an empty body block with the right
    arguments, fill it, and end it with a ``loop.yield``::

        loop = ForOp(c0, n, c1, [zero])
        with ImplicitBuilder(loop.body) as (i, acc):
            ...
            YieldOp(next_acc)
    """

    name = "loop.for"

    lb = operand_def()
    ub = operand_def()
    step = operand_def()
    iter_args = var_operand_def()
    res = var_result_def()
    body = region_def("single_block")

    traits = lazy_traits_def(
        lambda: (
            SingleBlockImplicitTerminator(YieldOp),
            RecursiveMemoryEffect(),
            ForCanonicalization(),
        )
    )

    def __init__(
        self,
        lb: SSAValue | Operation,
        ub: SSAValue | Operation,
        step: SSAValue | Operation,
        iter_args: Sequence[SSAValue | Operation] = (),
        body: Region | Block | None = None,
        annotations: Mapping[str, Attribute] | None = None,
    ):
        iter_types = [SSAValue.get(a).type for a in iter_args]
        if body is None:
            body = Block(arg_types=[INDEX, *iter_types])
        if isinstance(body, Block):
            body = Region(body)
        super().__init__(
            operands=[lb, ub, step, iter_args],
            result_types=[iter_types],
            regions=[body],
            attributes=dict(annotations or {}),
        )

    @property
    def induction_var(self) -> BlockArgument:
        return self.body.block.args[0]

    @property
    def region_iter_args(self) -> tuple[BlockArgument, ...]:
        return self.body.block.args[1:]

    def trip_count(self) -> int | None:
        """The number of iterations, when the bounds and step are constants."""
        return constant_trip_count(self.lb, self.ub, self.step)

    def verify_(self) -> None:
        _check_bound(self.name, "lower bound", self.lb)
        _check_bound(self.name, "upper bound", self.ub)
        _check_bound(self.name, "step", self.step)
        _check_step(self.name, "step", self.step)
        args = self.body.block.args
        if len(args) != 1 + len(self.iter_args):
            raise VerifyException(
                f"{self.name}: body must take {1 + len(self.iter_args)} arguments "
                f"(the induction variable, then one per iter_arg), got "
                f"{_type_list(args)}"
            )
        if not isinstance(args[0].type, IndexType):
            raise VerifyException(
                f"{self.name}: induction variable must be index, got {args[0].type}"
            )
        for position, (arg, init) in enumerate(
            zip(args[1:], self.iter_args, strict=True)
        ):
            if arg.type != init.type:
                raise VerifyException(
                    f"{self.name}: body argument {position + 1} has type {arg.type} "
                    f"but iter_arg {position} has type {init.type}"
                )
        if [r.type for r in self.res] != [a.type for a in self.iter_args]:
            raise VerifyException(
                f"{self.name}: result types {_type_list(self.res)} must equal the "
                f"iter_args types {_type_list(self.iter_args)}"
            )
        yield_op = self.body.block.last_op
        if isinstance(yield_op, YieldOp) and [a.type for a in yield_op.arguments] != [
            a.type for a in self.iter_args
        ]:
            raise VerifyException(
                f"{self.name}: loop.yield gives {_type_list(yield_op.arguments)} but "
                f"the loop carries {_type_list(self.iter_args)}"
            )
        _check_annotations(self)

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_ssa_value(self.induction_var)
        printer.print_string(" = ")
        printer.print_ssa_value(self.lb)
        printer.print_string(" to ")
        printer.print_ssa_value(self.ub)
        printer.print_string(" step ")
        printer.print_ssa_value(self.step)
        if self.iter_args:
            printer.print_string(" iter_args(")
            printer.print_list(
                zip(self.region_iter_args, self.iter_args, strict=True),
                lambda pair: _print_assignment(printer, *pair),
            )
            printer.print_string(") -> (")
            printer.print_list(self.res.types, printer.print_attribute)
            printer.print_string(")")
        printer.print_string(" ")
        printer.print_region(
            self.body,
            print_entry_block_args=False,
            print_block_terminators=bool(self.iter_args),
        )
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        induction_var = parser.parse_argument(expect_type=False)
        parser.parse_punctuation("=")
        lb = parser.parse_unresolved_operand()
        parser.parse_keyword("to")
        ub = parser.parse_unresolved_operand()
        parser.parse_keyword("step")
        step = parser.parse_unresolved_operand()
        carried: list[tuple[Parser.UnresolvedArgument, UnresolvedOperand]] = []
        types: list[Attribute] = []
        if parser.parse_optional_keyword("iter_args"):
            carried = parser.parse_comma_separated_list(
                Parser.Delimiter.PAREN, lambda: _parse_carried(parser)
            )
            parser.parse_punctuation("->")
            types = parser.parse_comma_separated_list(
                Parser.Delimiter.PAREN, parser.parse_type
            )
            if len(types) != len(carried):
                parser.raise_error(
                    f"{cls.name}: {len(carried)} iter_args but {len(types)} types"
                )
        inits = [
            parser.resolve_operand(operand, t)
            for (_, operand), t in zip(carried, types, strict=True)
        ]
        block_args = [
            induction_var.resolve(INDEX),
            *(arg.resolve(t) for (arg, _), t in zip(carried, types, strict=True)),
        ]
        body = parser.parse_region(block_args)
        annotations = parser.parse_optional_attr_dict()
        bounds = (parser.resolve_operand(v, INDEX) for v in (lb, ub, step))
        op = cls(*bounds, inits, body, annotations)
        if not inits:
            _append_implicit_yield(op.body)
        return op


def _parse_carried(
    parser: Parser,
) -> tuple[Parser.UnresolvedArgument, UnresolvedOperand]:
    arg = parser.parse_argument(expect_type=False)
    parser.parse_punctuation("=")
    return arg, parser.parse_unresolved_operand()


@irdl_op_definition
class ParallelOp(IRDLOperation):
    """A nest of loops with independent iterations, one body argument per dimension.

    It has no results: a parallel reduction writes one partial result per iteration
    into a buffer, and a ``loop.for`` combines the partials (TVM's rfactor).
    """

    name = "loop.parallel"

    lower_bounds = var_operand_def()
    upper_bounds = var_operand_def()
    steps = var_operand_def()
    mapping = opt_prop_def(ArrayAttr[StringAttr])
    body = region_def("single_block")

    irdl_options = (AttrSizedOperandSegments(as_property=True),)

    traits = lazy_traits_def(
        lambda: (
            SingleBlockImplicitTerminator(YieldOp),
            RecursiveMemoryEffect(),
            ParallelCanonicalization(),
        )
    )

    def __init__(
        self,
        lower_bounds: Sequence[SSAValue | Operation],
        upper_bounds: Sequence[SSAValue | Operation],
        steps: Sequence[SSAValue | Operation],
        body: Region | Block | None = None,
        mapping: Sequence[str] | None = None,
        annotations: Mapping[str, Attribute] | None = None,
    ):
        if body is None:
            body = Block(arg_types=[INDEX] * len(lower_bounds))
        if isinstance(body, Block):
            body = Region(body)
        properties: dict[str, Attribute] = {}
        if mapping is not None:
            properties["mapping"] = ArrayAttr(StringAttr(m) for m in mapping)
        super().__init__(
            operands=[lower_bounds, upper_bounds, steps],
            regions=[body],
            properties=properties,
            attributes=dict(annotations or {}),
        )

    @property
    def induction_vars(self) -> tuple[BlockArgument, ...]:
        return self.body.block.args

    def mapping_names(self) -> tuple[str, ...]:
        """The processor of each dimension; ``none`` everywhere without a mapping."""
        if self.mapping is None:
            return (NO_MAPPING,) * len(self.lower_bounds)
        return tuple(m.data for m in self.mapping.data)

    def verify_(self) -> None:
        dims = len(self.lower_bounds)
        if dims == 0:
            raise VerifyException(f"{self.name}: must have at least one dimension")
        if not dims == len(self.upper_bounds) == len(self.steps):
            raise VerifyException(
                f"{self.name}: expected one lower bound, upper bound and step per "
                f"dimension, got {dims}, {len(self.upper_bounds)} and {len(self.steps)}"
            )
        for dim in range(dims):
            _check_bound(self.name, f"lower bound {dim}", self.lower_bounds[dim])
            _check_bound(self.name, f"upper bound {dim}", self.upper_bounds[dim])
            _check_bound(self.name, f"step {dim}", self.steps[dim])
            _check_step(self.name, f"step {dim}", self.steps[dim])
        args = self.body.block.args
        if len(args) != dims or any(not isinstance(a.type, IndexType) for a in args):
            raise VerifyException(
                f"{self.name}: body must take {dims} index arguments (one per "
                f"dimension), got {_type_list(args)}"
            )
        yield_op = self.body.block.last_op
        if isinstance(yield_op, YieldOp) and yield_op.arguments:
            raise VerifyException(
                f"{self.name}: loop.yield must not return values (a parallel loop "
                f"has no results), got {_type_list(yield_op.arguments)}"
            )
        self._verify_mapping()
        _check_annotations(self)

    def _verify_mapping(self) -> None:
        if self.mapping is None:
            return
        names = self.mapping_names()
        if len(names) != len(self.lower_bounds):
            raise VerifyException(
                f"{self.name}: mapping has {len(names)} entries but the loop has "
                f"{len(self.lower_bounds)} dimensions"
            )
        for dim, name in enumerate(names):
            if name not in MAPPINGS:
                raise VerifyException(
                    f"{self.name}: unknown mapping '{name}' for dimension {dim}, "
                    f"expected one of {', '.join(MAPPINGS)}"
                )
        used = [n for n in names if n != NO_MAPPING]
        for name in used:
            if used.count(name) > 1:
                raise VerifyException(
                    f"{self.name}: mapping '{name}' is given to more than one "
                    f"dimension: [{', '.join(names)}]"
                )
        enclosing = _enclosing_mappings(self)
        for name in used:
            if name in enclosing:
                raise VerifyException(
                    f"{self.name}: mapping '{name}' is already used by an enclosing "
                    f"loop.parallel"
                )
        everything = used + enclosing
        if CPU_THREAD in everything and any(n != CPU_THREAD for n in everything):
            raise VerifyException(
                f"{self.name}: mapping mixes CPU threads and GPU processors: "
                f"[{', '.join(everything)}]"
            )
        inner_blocks = [n for n in used if n in GPU_BLOCKS]
        if inner_blocks and any(n in GPU_THREADS for n in enclosing):
            raise VerifyException(
                f"{self.name}: mapping '{inner_blocks[0]}' is nested inside a "
                f"loop.parallel mapped to GPU threads; blocks must enclose threads"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" (")
        printer.print_list(self.induction_vars, printer.print_ssa_value)
        printer.print_string(") = (")
        printer.print_list(self.lower_bounds, printer.print_ssa_value)
        printer.print_string(") to (")
        printer.print_list(self.upper_bounds, printer.print_ssa_value)
        printer.print_string(") step (")
        printer.print_list(self.steps, printer.print_ssa_value)
        printer.print_string(")")
        if self.mapping is not None:
            printer.print_string(" mapping [")
            printer.print_list(
                self.mapping_names(), printer.print_identifier_or_string_literal
            )
            printer.print_string("]")
        printer.print_string(" ")
        printer.print_region(
            self.body, print_entry_block_args=False, print_block_terminators=False
        )
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        induction_vars = parser.parse_comma_separated_list(
            Parser.Delimiter.PAREN, lambda: parser.parse_argument(expect_type=False)
        )
        parser.parse_punctuation("=")
        lower = _parse_operand_list(parser)
        parser.parse_keyword("to")
        upper = _parse_operand_list(parser)
        parser.parse_keyword("step")
        steps = _parse_operand_list(parser)
        mapping = None
        if parser.parse_optional_keyword("mapping"):
            mapping = parser.parse_comma_separated_list(
                Parser.Delimiter.SQUARE, parser.parse_identifier_or_str_literal
            )
        body = parser.parse_region([iv.resolve(INDEX) for iv in induction_vars])
        annotations = parser.parse_optional_attr_dict()
        op = cls(
            [parser.resolve_operand(v, INDEX) for v in lower],
            [parser.resolve_operand(v, INDEX) for v in upper],
            [parser.resolve_operand(v, INDEX) for v in steps],
            body,
            mapping,
            annotations,
        )
        _append_implicit_yield(op.body)
        return op


def _enclosing_mappings(op: Operation) -> list[str]:
    """The processors bound by the ``loop.parallel`` ops around ``op``."""
    names: list[str] = []
    parent = op.parent_op()
    while parent is not None:
        if isinstance(parent, ParallelOp):
            names.extend(n for n in parent.mapping_names() if n != NO_MAPPING)
        parent = parent.parent_op()
    return names


@irdl_op_definition
class YieldOp(AbstractYieldOperation[Attribute]):
    """End a loop body; in a ``loop.for``, give the next values of the iter_args."""

    name = "loop.yield"

    traits = lazy_traits_def(
        lambda: (IsTerminator(), HasParent(ForOp, ParallelOp), Pure())
    )


LOOP_OPS = [ForOp, ParallelOp, YieldOp]
