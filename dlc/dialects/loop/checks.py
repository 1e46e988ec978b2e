"""Run-time checks of the loop dialect: ``loop.check_index``.

``loop-bounds-check`` puts one before every index of a buffer access, so that a
compiler bug that would read or write out of bounds stops the program with a
message instead::

    loop.check_index %j < 8, "memref.load in @f: index 1 of memref<4x8xf32>"
    %v = memref.load %A[%i, %j] : memref<4x8xf32>

The message names the access; at run time the failing index value and the bound
are printed after it.
"""

from __future__ import annotations

from typing import Self

from xdsl.dialects.builtin import I64, IndexType, IntegerAttr, StringAttr, i64
from xdsl.ir import Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    prop_def,
    traits_def,
)
from xdsl.parser import Parser
from xdsl.printer import Printer
from xdsl.traits import MemoryWriteEffect
from xdsl.utils.exceptions import VerifyException


@irdl_op_definition
class CheckIndexOp(IRDLOperation):
    """Stop the program unless ``0 <= index < extent``.

    On failure the program prints ``message``, the index and the extent to stderr
    and aborts. The extent is a constant: the checked dimension is static.

    Like MLIR's ``cf.assert``, the op declares a memory write, so that no pass
    drops it or moves a load or store across it: the check must happen before the
    access it guards.
    """

    name = "loop.check_index"

    index = operand_def(IndexType)
    extent = prop_def(IntegerAttr[I64])
    message = prop_def(StringAttr)

    traits = traits_def(MemoryWriteEffect())

    def __init__(self, index: SSAValue | Operation, extent: int, message: str):
        super().__init__(
            operands=[index],
            properties={
                "extent": IntegerAttr(extent, i64),
                "message": StringAttr(message),
            },
        )

    def verify_(self) -> None:
        extent = self.extent.value.data
        if extent < 0:
            raise VerifyException(
                f"{self.name}: extent must be >= 0, got {extent} "
                f'("{self.message.data}")'
            )

    def print(self, printer: Printer) -> None:
        printer.print_string(" ")
        printer.print_operand(self.index)
        printer.print_string(f" < {self.extent.value.data}, ")
        printer.print_attribute(self.message)
        printer.print_op_attributes(self.attributes)

    @classmethod
    def parse(cls, parser: Parser) -> Self:
        index = parser.parse_operand(IndexType())
        parser.parse_punctuation("<")
        extent = parser.parse_integer(allow_boolean=False)
        parser.parse_punctuation(",")
        message = parser.parse_str_literal()
        attributes = parser.parse_optional_attr_dict()
        op = cls(index, extent, message)
        op.attributes.update(attributes)
        return op


CHECK_OPS = [CheckIndexOp]
