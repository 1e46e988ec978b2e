"""Short-vector ops of the loop dialect: the register tile of a vectorized loop.

A vector is a builtin ``vector<Wxf32>`` (f16, f32 or f64; one dimension; W a power of
two from 2 to 64) held in registers. Vectors come from memory only along a buffer's
innermost, contiguous dimension, so each access lowers to one GEP and one aligned
LLVM vector load or store. Elementwise vector arithmetic is plain ``arith`` on
vector types (``arith.addf``, ``arith.mulf``, ...); these five ops are what ``arith``
and ``memref`` lack::

    %b = loop.vload %B[%k, %j] : memref<64x64xf32>, vector<16xf32>
    %a = loop.splat %s : vector<16xf32>
    %c = loop.fma %a, %b, %acc : vector<16xf32>
    loop.vstore %c, %C[%i, %j] : memref<64x64xf32>, vector<16xf32>
    %t = loop.vreduce add %c : vector<16xf32>

dlc defines its own ops instead of reusing xDSL's ``vector`` dialect: dlc needs only
this contiguous 1-D subset, with verifiers that name the op and the types, an
interpreter implementation, and a direct lowering to LLVM vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self

from xdsl.dialects import arith
from xdsl.dialects.builtin import (
    Float16Type,
    Float32Type,
    Float64Type,
    IndexType,
    MemRefType,
    StringAttr,
    VectorType,
)
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import MemoryReadEffect, MemoryWriteEffect, Pure
from xdsl.utils.exceptions import VerifyException

LANEWISE_ARITH: tuple[type[Operation], ...] = (
    arith.AddfOp,
    arith.SubfOp,
    arith.MulfOp,
    arith.DivfOp,
    arith.NegfOp,
    arith.MaximumfOp,
    arith.MinimumfOp,
    arith.MaxnumfOp,
    arith.MinnumfOp,
)
"""Float arith ops that work lane by lane on vectors: loop-to-llvm lowers them on
vector operands as on scalars (``math`` ops all do too)."""

VECTOR_WIDTHS = (2, 4, 8, 16, 32, 64)
"""The lane counts a loop-level vector may have."""

VECTOR_ELEMENT_TYPES = (Float16Type, Float32Type, Float64Type)

REDUCTION_KINDS = ("add", "mul", "max", "min")
"""How ``loop.vreduce`` combines lanes; max and min propagate NaN."""


def check_vector(op_name: str, what: str, attr: Attribute) -> VectorType:
    """Check that ``attr`` is a loop-level vector type and return it."""
    if not isinstance(attr, VectorType):
        raise VerifyException(f"{op_name}: {what} must be a vector, got {attr}")
    vector: VectorType = attr  # pyright: ignore[reportUnknownVariableType]
    if vector.get_num_dims() != 1 or vector.get_num_scalable_dims() != 0:
        raise VerifyException(
            f"{op_name}: {what} must be a fixed one-dimensional vector, got {attr}"
        )
    if not isinstance(vector.element_type, VECTOR_ELEMENT_TYPES):
        raise VerifyException(
            f"{op_name}: {what} must have element type f16, f32 or f64, got {attr}"
        )
    width = vector.get_shape()[0]
    if width not in VECTOR_WIDTHS:
        raise VerifyException(
            f"{op_name}: vector width {width} must be a power of two from "
            f"{VECTOR_WIDTHS[0]} to {VECTOR_WIDTHS[-1]}, got {attr}"
        )
    return vector


def check_contiguous_access(
    op_name: str, memref: Attribute, vector: VectorType, index_count: int
) -> None:
    """A vector access reads ``width`` consecutive elements of the innermost dim."""
    assert isinstance(memref, MemRefType)
    buffer: MemRefType = memref  # pyright: ignore[reportUnknownVariableType]
    rank = buffer.get_num_dims()
    if index_count != rank:
        raise VerifyException(
            f"{op_name}: expected {rank} indices for {memref}, got {index_count}"
        )
    if rank == 0:
        raise VerifyException(f"{op_name}: memref must have rank >= 1, got {memref}")
    if buffer.element_type != vector.element_type:
        raise VerifyException(
            f"{op_name}: vector element type {vector.element_type} must equal the "
            f"memref element type {buffer.element_type} ({vector}, {memref})"
        )
    strides = buffer.get_strides()
    if strides is None or strides[-1] != 1:
        raise VerifyException(
            f"{op_name}: memref must be contiguous in its innermost dimension "
            f"(stride 1), got {memref}"
        )
    innermost = buffer.get_shape()[-1]
    width = vector.get_shape()[0]
    if innermost >= 0 and innermost < width:
        raise VerifyException(
            f"{op_name}: {vector} is wider than the innermost dimension "
            f"{innermost} of {memref}"
        )


@irdl_op_definition
class VLoadOp(IRDLOperation):
    """Load ``width`` consecutive elements of the innermost dimension.

    Lanes read ``base[i0, ..., in + lane]``; all of them must lie inside the
    innermost dimension (the interpreter checks it, later passes may assume it).
    """

    name = "loop.vload"

    base = operand_def(MemRefType)
    indices = var_operand_def(IndexType)
    result = result_def(VectorType)

    traits = traits_def(MemoryReadEffect())

    assembly_format = (
        "$base `[` $indices `]` attr-dict `:` type($base) `,` type($result)"
    )

    def __init__(
        self,
        base: SSAValue | Operation,
        indices: Sequence[SSAValue | Operation],
        result_type: VectorType,
    ):
        super().__init__(operands=[base, indices], result_types=[result_type])

    def verify_(self) -> None:
        vector = check_vector(self.name, "result", self.result.type)
        check_contiguous_access(self.name, self.base.type, vector, len(self.indices))


@irdl_op_definition
class VStoreOp(IRDLOperation):
    """Store a vector into ``width`` consecutive elements of the innermost dimension."""

    name = "loop.vstore"

    value = operand_def(VectorType)
    base = operand_def(MemRefType)
    indices = var_operand_def(IndexType)

    traits = traits_def(MemoryWriteEffect())

    assembly_format = (
        "$value `,` $base `[` $indices `]` attr-dict `:` type($base) `,` type($value)"
    )

    def __init__(
        self,
        value: SSAValue | Operation,
        base: SSAValue | Operation,
        indices: Sequence[SSAValue | Operation],
    ):
        super().__init__(operands=[value, base, indices])

    def verify_(self) -> None:
        vector = check_vector(self.name, "stored value", self.value.type)
        check_contiguous_access(self.name, self.base.type, vector, len(self.indices))


@irdl_op_definition
class SplatOp(IRDLOperation):
    """Copy one scalar into every lane: ``%v = loop.splat %x : vector<16xf32>``."""

    name = "loop.splat"

    input = operand_def()
    result = result_def(VectorType)

    traits = traits_def(Pure())

    def __init__(self, input: SSAValue | Operation, result_type: VectorType):
        super().__init__(operands=[input], result_types=[result_type])

    def verify_(self) -> None:
        vector = check_vector(self.name, "result", self.result.type)
        if self.input.type != vector.element_type:
            raise VerifyException(
                f"{self.name}: input type {self.input.type} must equal the element "
                f"type of {vector}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.input)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        input = parser.parse_unresolved_operand()
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        result_type = parser.parse_type()
        element_type = (
            result_type.element_type
            if isinstance(result_type, VectorType)
            else result_type
        )
        return cls.create(
            operands=[parser.resolve_operand(input, element_type)],  # pyright: ignore[reportUnknownArgumentType]
            result_types=[result_type],
            attributes=attributes,
        )


@irdl_op_definition
class FmaOp(IRDLOperation):
    """Fused multiply-add ``lhs * rhs + acc`` with one rounding, on vectors or scalars.

    The body of a register-blocked GEMM is one ``loop.fma`` per accumulator::

        %c1 = loop.fma %a, %b, %c0 : vector<16xf32>
        %s1 = loop.fma %x, %y, %s0 : f32
    """

    name = "loop.fma"

    lhs = operand_def()
    rhs = operand_def()
    acc = operand_def()
    result = result_def()

    traits = traits_def(Pure())

    def __init__(
        self,
        lhs: SSAValue | Operation,
        rhs: SSAValue | Operation,
        acc: SSAValue | Operation,
    ):
        super().__init__(
            operands=[lhs, rhs, acc], result_types=[SSAValue.get(acc).type]
        )

    def verify_(self) -> None:
        types = [o.type for o in self.operands] + [self.result.type]
        if any(t != types[0] for t in types):
            listed = ", ".join(str(t) for t in types[:3])
            raise VerifyException(
                f"{self.name}: operands and result must have one type, got "
                f"({listed}) -> {types[3]}"
            )
        if isinstance(types[0], VectorType):
            check_vector(self.name, "operand", types[0])
        elif not isinstance(types[0], VECTOR_ELEMENT_TYPES):
            raise VerifyException(
                f"{self.name}: operands must be f16, f32, f64 or vectors of them, "
                f"got {types[0]}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_list(self.operands, printer.print_operand)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.result.type)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        operands = [parser.parse_unresolved_operand()]
        for _ in range(2):
            parser.parse_punctuation(",")
            operands.append(parser.parse_unresolved_operand())
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        operand_type = parser.parse_type()
        lhs, rhs, acc = (parser.resolve_operand(o, operand_type) for o in operands)
        op = cls(lhs, rhs, acc)
        op.attributes |= attributes
        return op


@irdl_op_definition
class VReduceOp(IRDLOperation):
    """Combine the lanes of a vector into one scalar: ``loop.vreduce add %v``.

    The order in which lanes are combined is unspecified, so lowering may use a tree.
    """

    name = "loop.vreduce"

    kind = prop_def(StringAttr)
    input = operand_def(VectorType)
    result = result_def()

    traits = traits_def(Pure())

    def __init__(self, kind: str, input: SSAValue | Operation):
        vector = SSAValue.get(input).type
        assert isinstance(vector, VectorType)
        super().__init__(
            operands=[input],
            result_types=[vector.element_type],
            properties={"kind": StringAttr(kind)},
        )

    def verify_(self) -> None:
        if self.kind.data not in REDUCTION_KINDS:
            raise VerifyException(
                f"{self.name}: kind '{self.kind.data}' must be one of "
                f"{', '.join(REDUCTION_KINDS)}"
            )
        vector = check_vector(self.name, "input", self.input.type)
        if self.result.type != vector.element_type:
            raise VerifyException(
                f"{self.name}: result type {self.result.type} must equal the element "
                f"type of {vector}"
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(f" {self.kind.data} ")
        printer.print_operand(self.input)
        printer.print_op_attributes(self.attributes)
        printer.print_string(" : ")
        printer.print_attribute(self.input.type)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        kind = parser.parse_identifier(" (a loop.vreduce kind)")
        input = parser.parse_unresolved_operand()
        attributes = parser.parse_optional_attr_dict()
        parser.parse_punctuation(":")
        vector_type = parser.parse_type()
        element_type = (
            vector_type.element_type
            if isinstance(vector_type, VectorType)
            else vector_type
        )
        return cls.create(
            operands=[parser.resolve_operand(input, vector_type)],
            result_types=[element_type],  # pyright: ignore[reportUnknownArgumentType]
            properties={"kind": StringAttr(kind)},
            attributes=attributes,
        )


VECTOR_OPS = [VLoadOp, VStoreOp, SplatOp, FmaOp, VReduceOp]
