"""What a converter sees of one ONNX node, and how it emits nn ops.

A converter is a function ``convert(node: NodeContext) -> results``. It reads the
node's inputs (as SSA values, or as numpy arrays where dlc needs a constant), its
attributes (each one it reads is marked as handled), and emits nn ops by name::

    def convert_leaky_relu(node: NodeContext) -> SSAValue:
        alpha = node.float_attr("alpha", 0.01)
        return node.emit("nn.leaky_relu", [node.input(0)], alpha=alpha)

Anything it cannot express raises :class:`Unsupported`. Some of this is checked
for it: an nn op the dialect does not have, an nn op that rejects its operands or
properties, an attribute the converter never read (unless it called
:meth:`NodeContext.ignore`), a result the converter did not produce that the graph
uses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import numpy as np
import onnx
from xdsl.dialects.builtin import (
    DenseArrayBase,
    FloatAttr,
    IntegerAttr,
    NameLoc,
    NoneAttr,
    StringAttr,
    TensorType,
    UnitAttr,
    f64,
    i64,
)
from xdsl.ir import Attribute, Block, Operation, SSAValue
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.base import NNOp
from dlc.frontends.onnx.constants import (
    ELEMENT_TYPES,
    NumpyArray,
    constant_value,
    element_type,
)
from dlc.frontends.onnx.problems import Skipped, Unsupported

ConverterResult = SSAValue | Sequence[SSAValue | None]
Converter = Callable[["NodeContext"], ConverterResult]
PropertyValue = bool | int | float | str | Sequence[int] | Attribute | None

ATTRIBUTE_KINDS = onnx.AttributeProto.AttributeType
"""Names of the ``AttributeProto.type`` codes, for messages (``INTS``)."""


@cache
def nn_ops() -> dict[str, type[NNOp]]:
    """The nn ops this build of dlc has, by name (``"nn.relu"``)."""
    from dlc.dialects.nn import NN

    return {op.name: op for op in NN.operations if issubclass(op, NNOp)}


def property_attr(value: PropertyValue) -> Attribute:
    """An nn property from a Python value: int -> i64, float -> f64, str, flag,
    integer list -> ``array<i64: ...>``."""
    if isinstance(value, Attribute):
        return value
    if value is True:
        return UnitAttr()
    if isinstance(value, int | np.integer):
        return IntegerAttr(int(value), i64)
    if isinstance(value, float | np.floating):
        return FloatAttr(float(value), f64)
    if isinstance(value, str):
        return StringAttr(value)
    assert value is not None and value is not False, "callers drop absent properties"
    return DenseArrayBase.from_list(i64, [int(v) for v in value])


def name_location(name: str) -> NameLoc:
    """``loc("name")``: where an op came from, by ONNX node or tensor name."""
    return NameLoc(StringAttr(name), NoneAttr())


@dataclass
class GraphValues:
    """What the importer knows about each ONNX value, by name.

    A name is in ``values`` (an SSA value: a function argument or an op result),
    in ``constants`` (a numpy array, written as an ``nn.constant`` on first use), or
    in ``failed`` (made by a node that could not be converted; ``values`` then
    holds a stand-in if shape inference gave it a static type).
    """

    body: Block
    values: dict[str, SSAValue] = field(default_factory=dict[str, SSAValue])
    constants: dict[str, NumpyArray] = field(default_factory=dict[str, NumpyArray])
    failed: set[str] = field(default_factory=set[str])
    used: set[str] = field(default_factory=set[str])

    def insert(self, op: Operation) -> SSAValue:
        self.body.add_op(op)
        return op.results[0]

    def value(self, name: str) -> SSAValue:
        """The SSA value of ``name``, writing its ``nn.constant`` if it has none."""
        if name in self.values:
            return self.values[name]
        if name in self.failed:
            raise Skipped(name)
        assert name in self.constants, f"check_wiring found '{name}' defined"
        self.values[name] = self.constant(self.constants[name], name)
        return self.values[name]

    def constant(self, array: NumpyArray, name: str) -> SSAValue:
        """A new ``nn.constant`` of ``array``, located and named after ``name``."""
        constant = nn_ops()["nn.constant"]
        try:
            op = constant.from_operands([], value=constant_value(array, name))
        except VerifyException as error:
            raise Unsupported(f"constant '{name}': {error}") from None
        op.location = name_location(name)
        result = self.insert(op)
        set_name_hint(result, name)
        return result


def set_name_hint(value: SSAValue, name: str) -> None:
    """Name ``value`` after an ONNX tensor, as far as MLIR's identifiers allow."""
    hint = "".join(
        c if c.isascii() and c.isalnum() or c in "_$.-" else "_" for c in name
    )
    hint = hint.strip("_.-")
    if hint and not hint[0].isdigit():
        value.name_hint = hint


class NodeContext:
    """One ONNX node being converted: its inputs, attributes, and an op emitter."""

    def __init__(self, proto: onnx.NodeProto, name: str, graph: GraphValues):
        self.proto = proto
        self.op_type = proto.op_type
        self.name = name
        """The node's name, or ``OpType#index`` for an unnamed node."""
        self.location = name_location(name)
        self.graph = graph
        self._attributes = {
            a.name: onnx.helper.get_attribute_value(a) for a in proto.attribute
        }
        self._kinds = {a.name: a.type for a in proto.attribute}
        """Each attribute's declared ``AttributeProto.AttributeType``."""
        self._read: set[str] = set()

    # --- Inputs ---------------------------------------------------------------------

    def has_input(self, index: int) -> bool:
        """Whether optional input ``index`` is given (absent or named "")."""
        return index < len(self.proto.input) and self.proto.input[index] != ""

    def input_count(self) -> int:
        """The number of inputs, up to the last given one."""
        return len(self.proto.input)

    def input(self, index: int) -> SSAValue:
        """Input ``index`` as an SSA value (a constant becomes an ``nn.constant``)."""
        self.require_input(index)
        return self.graph.value(self.proto.input[index])

    def require_input(self, index: int) -> None:
        """Input ``index`` is given; ONNX's shape inference lets a node short of
        required inputs pass."""
        if self.has_input(index):
            return
        given = [f"'{name}'" for name in self.proto.input]
        count = len(given)
        raise Unsupported(
            f"input {index} is missing (the node has {count} "
            f"input{'s' * (count != 1)}{': ' * bool(given)}{', '.join(given)})"
        )

    def inputs(self) -> list[SSAValue]:
        """Every given input, as SSA values."""
        return [self.input(i) for i in range(self.input_count()) if self.has_input(i)]

    def is_constant(self, index: int) -> bool:
        return self.has_input(index) and self.proto.input[index] in self.graph.constants

    def constant_input(self, index: int, what: str) -> NumpyArray | None:
        """Input ``index`` as a numpy array, None if absent.

        For inputs that nn ops take as properties (a reshape's shape, slice
        bounds, reduction axes...): one computed at run time is unsupported.
        """
        if not self.has_input(index):
            return None
        name = self.proto.input[index]
        if name in self.graph.failed:
            raise Skipped(name)
        array = self.graph.constants.get(name)
        if array is None:
            raise Unsupported(
                f"input '{what}' must be a constant (an initializer or computed from "
                "constants), but it is computed at run time"
            )
        return array

    def constant_ints(self, index: int, what: str) -> list[int] | None:
        array = self.constant_input(index, what)
        return None if array is None else [int(v) for v in array.reshape(-1)]

    def ints_input_or_attr(self, index: int, name: str) -> list[int] | None:
        """Integers from constant input ``index``, or from attribute ``name``
        (where older opsets keep them)."""
        if self.has_input(index):
            return self.constant_ints(index, name)
        return self.ints_attr(name)

    def constant_float(self, index: int, what: str) -> float | None:
        array = self.constant_input(index, what)
        if array is None:
            return None
        if array.size != 1:
            raise Unsupported(
                f"input '{what}' must be a scalar, got shape {array.shape}"
            )
        return float(array.reshape(-1)[0])

    def input_type(self, index: int) -> TensorType:
        """The tensor type of input ``index``, without writing a constant."""
        self.require_input(index)
        name = self.proto.input[index]
        if name in self.graph.constants and name not in self.graph.values:
            array = self.graph.constants[name]
            return TensorType(element_type(array.dtype), list(array.shape))
        value_type = self.input(index).type
        assert isinstance(value_type, TensorType)
        return value_type  # pyright: ignore[reportUnknownVariableType]

    def input_shape(self, index: int) -> tuple[int, ...]:
        return tuple(self.input_type(index).get_shape())

    # --- Outputs --------------------------------------------------------------------

    def output_used(self, index: int) -> bool:
        """Whether output ``index`` exists and the graph reads it."""
        return (
            index < len(self.proto.output)
            and self.proto.output[index] != ""
            and self.proto.output[index] in self.graph.used
        )

    def reject_output(self, index: int, what: str) -> None:
        if self.output_used(index):
            raise Unsupported(f"output {index} ({what}) is not supported")

    # --- Attributes -----------------------------------------------------------------

    def attr(self, name: str, default: Any = None) -> Any:
        """The attribute's Python value (bytes decoded), or ``default``."""
        self._read.add(name)
        value = self._attributes.get(name, default)
        if not isinstance(value, bytes):
            return value
        try:
            return value.decode()
        except UnicodeDecodeError:
            raise Unsupported(
                f"attribute {name} = {value!r} is not valid UTF-8 text"
            ) from None

    def typed_attr(self, name: str, default: Any, *kinds: int) -> Any:
        """``attr``, after checking that the model declares the attribute as one
        of ``kinds`` (``AttributeProto.INT``...): a damaged model may give
        ``axis`` as a FLOAT or a STRING, or ``perm`` as one INT."""
        kind = self._kinds.get(name)
        if kind is not None and kind not in kinds:
            expected = " or ".join(ATTRIBUTE_KINDS.Name(k) for k in kinds)
            raise Unsupported(
                f"attribute {name} must be of type {expected}, but the model gives "
                f"{ATTRIBUTE_KINDS.Name(kind)} {self.attr(name)!r}"
            )
        return self.attr(name, default)

    def int_attr(self, name: str, default: int) -> int:
        return int(self.typed_attr(name, default, onnx.AttributeProto.INT))

    def float_attr(self, name: str, default: float) -> float:
        # An INT stands for a float exactly; onnx.helper writes alpha=1 that way.
        kinds = (onnx.AttributeProto.FLOAT, onnx.AttributeProto.INT)
        return float(self.typed_attr(name, default, *kinds))

    def ints_attr(
        self, name: str, default: Sequence[int] | None = None
    ) -> list[int] | None:
        value = self.typed_attr(name, default, onnx.AttributeProto.INTS)
        return None if value is None else [int(v) for v in value]

    def str_attr(self, name: str, default: str) -> str:
        return str(self.typed_attr(name, default, onnx.AttributeProto.STRING))

    def has_attr(self, name: str) -> bool:
        return name in self._attributes

    def ignore(self, *names: str) -> None:
        """Mark attributes that do not change the inference result as handled."""
        self._read.update(names)

    def expect(self, name: str, supported: Sequence[Any], default: Any) -> Any:
        """Read an attribute that dlc supports only some values of."""
        value = self.attr(name, default)
        if value not in supported:
            listed = ", ".join(repr(v) for v in supported)
            raise Unsupported(
                f"{name} = {value!r} is not supported (supported: {listed})"
            )
        return value

    def unread_attributes(self) -> list[str]:
        """The attributes the converter neither read nor ignored."""
        return [name for name in self._attributes if name not in self._read]

    # --- Emitting nn ops ------------------------------------------------------------

    def emit(
        self, op_name: str, operands: Sequence[SSAValue], **props: PropertyValue
    ) -> SSAValue:
        """Append an nn op, its result type inferred, located at this node.

        Properties whose value is None or False are left out (their default).
        """
        op_class = nn_ops().get(op_name)
        if op_class is None:
            raise Unsupported(f"needs {op_name}, which this dlc does not have")
        properties = {
            key: property_attr(value)
            for key, value in props.items()
            if value is not None and value is not False
        }
        try:
            op = op_class.from_operands(operands, **properties)
        except VerifyException as error:
            raise Unsupported(str(error)) from None
        op.location = self.location
        return self.graph.insert(op)

    def emit_typed(
        self, op_name: str, operands: Sequence[SSAValue], result_type: TensorType
    ) -> SSAValue:
        """Append an nn op whose result type is not a function of its operands."""
        op_class = nn_ops().get(op_name)
        if op_class is None:
            raise Unsupported(f"needs {op_name}, which this dlc does not have")
        op = op_class.create(operands=list(operands), result_types=[result_type])
        try:
            op.verify()
        except VerifyException as error:
            raise Unsupported(str(error)) from None
        op.location = self.location
        return self.graph.insert(op)

    def constant(self, array: NumpyArray, suffix: str = "const") -> SSAValue:
        """An ``nn.constant`` the conversion needs (a folded weight, a scalar)."""
        return self.graph.constant(np.asarray(array), f"{self.name}.{suffix}")

    def scalar(self, value: float, like: SSAValue) -> SSAValue:
        """A rank-0 constant of ``like``'s element type."""
        like_type = like.type
        assert isinstance(like_type, TensorType)
        dtype = numpy_dtype_of(like_type)
        return self.constant(np.asarray(value, dtype=dtype), "scalar")


def numpy_dtype_of(tensor: TensorType) -> np.dtype[Any]:
    """The numpy dtype of a dlc tensor type (the inverse of ``element_type``)."""
    for dtype, element in ELEMENT_TYPES.items():
        if element == tensor.element_type:
            return dtype
    raise Unsupported(f"element type {tensor.element_type}")


class ConverterTable(dict[str, Converter]):
    """The converters of one op family, by ONNX op type.

    ::

        CONVERTERS = ConverterTable()

        @CONVERTERS.register("Relu", "Sigmoid")
        def convert_unary(node: NodeContext) -> SSAValue: ...
    """

    def register(self, *op_types: str) -> Callable[[Converter], Converter]:
        def add(converter: Converter) -> Converter:
            for op_type in op_types:
                assert op_type not in self, f"two converters for {op_type}"
                self[op_type] = converter
            return converter

        return add
