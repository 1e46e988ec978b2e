"""``tensor.read``: one element of a tensor, read in a compute's body or epilogue."""

from __future__ import annotations

from collections.abc import Sequence

from xdsl.dialects.builtin import IndexType, TensorType
from xdsl.ir import Attribute, Operation, SSAValue
from xdsl.irdl import (
    IRDLOperation,
    irdl_op_definition,
    operand_def,
    opt_prop_def,
    result_def,
    traits_def,
    var_operand_def,
)
from xdsl.parser import Parser
from xdsl.pattern_rewriter import RewritePattern
from xdsl.printer import Printer
from xdsl.traits import HasCanonicalizationPatternsTrait, Pure
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.tensor.compute import (
    ComputeOp,
    enclosing_compute,
    index_value_range,
    is_defined_inside,
)
from dlc.dialects.tensor.scalars import (
    ScalarAttr,
    parse_scalar_literal,
    print_scalar,
    scalar_attr,
)


class ReadCanonicalization(HasCanonicalizationPatternsTrait):
    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.tensor.canonicalize import FoldReadOfUniformCompute

        return (FoldReadOfUniformCompute(),)


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
            values = index_value_range(index, compute)
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
