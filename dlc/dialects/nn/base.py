"""Shared machinery for nn ops: tensor-type checks, attribute readers, shape inference.

Every nn op is an :class:`NNOp`. It has one tensor result whose type is a pure
function of the operand types and the op's properties, computed by the classmethod
``infer_result_type``. That one function serves three uses:

* the verifier compares it with the written result type and reports a mismatch at the
  op's location, naming both types;
* :meth:`NNOp.from_operands` creates an op from operands and properties alone,
  which is how Python code (importers, test generators, rewrites) makes nn ops;
* the reference interpreter can trust that shapes are consistent.

``infer_result_type`` raises :class:`VerifyException` with a message that says what was
expected whenever an operand or a property is bad.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Self

from xdsl.dialects.builtin import (
    DenseArrayBase,
    Float16Type,
    Float32Type,
    Float64Type,
    FloatAttr,
    IntegerAttr,
    IntegerType,
    Signedness,
    StringAttr,
    TensorType,
    UnitAttr,
    i64,
)
from xdsl.ir import Attribute, SSAValue
from xdsl.irdl import IRDLOperation, ParsePropInAttrDict, traits_def
from xdsl.pattern_rewriter import RewritePattern
from xdsl.traits import HasCanonicalizationPatternsTrait, Pure
from xdsl.utils.exceptions import VerifyException

FLOAT_TYPES = (Float16Type, Float32Type, Float64Type)
"""The float element types: f32 first, f16 and f64 wherever an op is generic."""

Shape = tuple[int, ...]


@dataclass(frozen=True)
class ElementTypes:
    """The element types an operand accepts, listed in that order in messages.

    Integers are signless, as in MLIR's arith: ``i8``, ``i32`` and ``i64`` hold
    two's-complement values that nn ops treat as signed, and ``i1`` is a boolean
    (numpy's ``bool``). Unsigned ``ui8``, signed ``si8`` and ``bf16`` have no nn
    op.
    """

    types: tuple[Attribute, ...]

    def __contains__(self, element: Attribute) -> bool:
        return element in self.types

    def __add__(self, other: ElementTypes) -> ElementTypes:
        return ElementTypes((*self.types, *other.types))

    def listed(self) -> str:
        """``f16, f32 or f64``."""
        names = [str(t) for t in self.types]
        if len(names) == 1:
            return names[0]
        return f"{', '.join(names[:-1])} or {names[-1]}"


FLOATS = ElementTypes((Float16Type(), Float32Type(), Float64Type()))
"""What math on real numbers accepts (exp, softmax, matmul, ...)."""
INTEGERS = ElementTypes((IntegerType(8), IntegerType(32), IntegerType(64)))
BOOLS = ElementTypes((IntegerType(1),))
NUMBERS = FLOATS + INTEGERS
"""What arithmetic accepts: add, sub, mul, div, maximum, minimum, neg, sums."""
ALL_ELEMENTS = FLOATS + BOOLS + INTEGERS
"""What ops that only move, compare or convert elements accept."""
INDEX_ELEMENTS = ElementTypes((IntegerType(32), IntegerType(64)))
"""The element types of an index tensor (``nn.gather``'s indices)."""


def is_float(element: Attribute) -> bool:
    return isinstance(element, FLOAT_TYPES)


def is_bool(element: Attribute) -> bool:
    return element == IntegerType(1)


def describe(attr: Attribute) -> str:
    """The textual form of a type or attribute, for error messages."""
    return str(attr)


def as_tensor(attr: Attribute, what: str, accepted: ElementTypes) -> TensorType:
    """Check that ``attr`` is a statically shaped tensor of an ``accepted`` type."""
    if not isinstance(attr, TensorType):
        raise VerifyException(f"{what} must be a tensor, got {describe(attr)}")
    tensor: TensorType = attr  # pyright: ignore[reportUnknownVariableType]
    element: Attribute = tensor.element_type  # pyright: ignore[reportUnknownMemberType]
    if element not in accepted:
        hint = ""
        if (
            isinstance(element, IntegerType)
            and element.signedness.data != Signedness.SIGNLESS
        ):
            hint = f" (integers are signless: write i{element.width.data})"
        raise VerifyException(
            f"{what} must have element type {accepted.listed()}, "
            f"got {describe(attr)}{hint}"
        )
    if any(dim < 0 for dim in tensor.get_shape()):
        raise VerifyException(f"{what} must have a static shape, got {describe(attr)}")
    return tensor


def as_float_tensor(attr: Attribute, what: str) -> TensorType:
    """Check that ``attr`` is a statically shaped f16/f32/f64 tensor type."""
    return as_tensor(attr, what, FLOATS)


def as_any_tensor(attr: Attribute, what: str) -> TensorType:
    """Check that ``attr`` is a statically shaped tensor of any nn element type."""
    return as_tensor(attr, what, ALL_ELEMENTS)


def cast_scalar(value: float, element_type: Attribute) -> float | int:
    """``value`` converted to ``element_type`` as ``nn.cast`` converts elements.

    A float stays a float (rounded when stored); a boolean is ``value != 0``
    (NaN is true); an integer is ``value`` truncated toward zero and saturated to
    the type's range, with NaN giving 0.
    """
    if is_float(element_type):
        return value
    if is_bool(element_type):
        return int(value != 0)
    assert isinstance(element_type, IntegerType)
    if math.isnan(value):
        return 0
    width = element_type.width.data
    low, high = -(2 ** (width - 1)), 2 ** (width - 1) - 1
    if math.isinf(value):
        return high if value > 0 else low
    return min(max(math.trunc(value), low), high)


def shape_of(tensor: TensorType) -> Shape:
    return tuple(tensor.get_shape())


def same_element_type(types: Sequence[TensorType], op_name: str) -> Attribute:
    """All operands share one element type; return it."""
    element = types[0].element_type
    for t in types[1:]:
        if t.element_type != element:
            listed = ", ".join(describe(x) for x in types)
            raise VerifyException(
                f"{op_name} operands must share one element type, got {listed}"
            )
    return element


def tensor_of(shape: Sequence[int], element_type: Attribute) -> TensorType:
    return TensorType(element_type, list(shape))


def normalize_axis(axis: int, rank: int, what: str = "axis") -> int:
    """Map a possibly negative axis into ``[0, rank)``, or raise."""
    if not -rank <= axis < rank:
        raise VerifyException(
            f"{what} {axis} is out of range for rank {rank} "
            f"(expected {-rank} <= {what} < {rank})"
        )
    return axis % rank


def broadcast_shapes(lhs: Shape, rhs: Shape) -> Shape | None:
    """numpy broadcasting of two shapes, or None if they do not broadcast."""
    rank = max(len(lhs), len(rhs))
    padded_lhs = (1,) * (rank - len(lhs)) + lhs
    padded_rhs = (1,) * (rank - len(rhs)) + rhs
    result: list[int] = []
    for a, b in zip(padded_lhs, padded_rhs, strict=True):
        if a != b and a != 1 and b != 1:
            return None
        result.append(b if a == 1 else a)
    return tuple(result)


# --- Reading properties --------------------------------------------------------------
# Properties are builtin attributes: i64 integers, f64 floats, `array<i64: ...>` for
# integer lists, strings and units. These readers give their Python values and name
# the property in the error when it is missing or of the wrong kind.


def int_property(
    props: Mapping[str, Attribute], name: str, default: int | None = None
) -> int:
    attr = props.get(name)
    if attr is None:
        if default is None:
            raise VerifyException(f"missing integer property '{name}'")
        return default
    if not isinstance(attr, IntegerAttr):
        raise VerifyException(
            f"property '{name}' must be an integer, got {describe(attr)}"
        )
    return attr.value.data  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType]


def float_property(
    props: Mapping[str, Attribute], name: str, default: float | None = None
) -> float:
    attr = props.get(name)
    if attr is None:
        if default is None:
            raise VerifyException(f"missing float property '{name}'")
        return default
    if isinstance(attr, FloatAttr):
        return float(attr.value.data)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    if isinstance(attr, IntegerAttr):
        return float(attr.value.data)  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType]
    raise VerifyException(f"property '{name}' must be a float, got {describe(attr)}")


def ints_property(
    props: Mapping[str, Attribute], name: str, default: Sequence[int] | None = None
) -> tuple[int, ...]:
    attr = props.get(name)
    if attr is None:
        if default is None:
            raise VerifyException(f"missing property '{name}' (array<i64: ...>)")
        return tuple(default)
    if isinstance(attr, DenseArrayBase) and attr.elt_type == i64:  # pyright: ignore[reportUnknownMemberType]
        return tuple(int(v) for v in attr.get_values())  # pyright: ignore[reportUnknownMemberType, reportUnknownArgumentType, reportUnknownVariableType]
    raise VerifyException(
        f"property '{name}' must be an array<i64: ...>, got {describe(attr)}"
    )


def string_property(props: Mapping[str, Attribute], name: str, default: str) -> str:
    attr = props.get(name)
    if attr is None:
        return default
    if not isinstance(attr, StringAttr):
        raise VerifyException(
            f"property '{name}' must be a string, got {describe(attr)}"
        )
    return attr.data


def i64_attr(value: int) -> IntegerAttr:
    return IntegerAttr(value, i64)


def i64_array(values: Sequence[int]) -> DenseArrayBase:
    return DenseArrayBase.from_list(i64, list(values))


def f64_attr(value: float) -> FloatAttr:
    return FloatAttr(value, Float64Type())


# The three custom syntaxes of nn ops (see docs/dialects/nn.md).
SAME_TYPE_FORMAT = "$input attr-dict `:` type($input)"
"""``%r = nn.relu %x : tensor<4xf32>``: one input, result of the same type."""
SINGLE_INPUT_FORMAT = "$input attr-dict `:` type($input) `->` type($result)"
"""``%r = nn.transpose %x {...} : tensor<2x3xf32> -> tensor<3x2xf32>``."""
OPERANDS_FORMAT = "attr-dict `:` functional-type(operands, results)"
"""Appended to the operand list: ``nn.add %a, %b : (A, B) -> R``."""


class NNCanonicalization(HasCanonicalizationPatternsTrait):
    """Every nn op gets the patterns of :mod:`dlc.dialects.nn.canonicalize`.

    The import is lazy because the patterns refer back to the op classes.
    """

    @classmethod
    def get_canonicalization_patterns(cls) -> tuple[RewritePattern, ...]:
        from dlc.dialects.nn.canonicalize import canonicalization_patterns

        return canonicalization_patterns()


class NNOp(IRDLOperation):
    """Base class of nn ops: one result, its type inferred from operands and properties.

    Subclasses are ``@irdl_op_definition`` classes that declare operands, properties
    and ``result = result_def(TensorType)``, and implement ``infer_result_type``.
    They inherit the traits below (traits_def of a base class is inherited); a
    subclass that needs more adds its own ``traits = traits_def(...)``.
    """

    traits = traits_def(Pure(), NNCanonicalization())
    # Properties are written in the attribute dictionary, MLIR-style:
    # `nn.softmax %x {axis = 1 : i64} : ...`.
    irdl_options = (ParsePropInAttrDict(),)

    @classmethod
    def infer_result_type(
        cls, operand_types: Sequence[Attribute], properties: Mapping[str, Attribute]
    ) -> TensorType:
        """The result type the op must have; raises VerifyException if ill-formed."""
        raise NotImplementedError(f"{cls.name} does not infer its result type")

    @classmethod
    def from_operands(
        cls, operands: Sequence[SSAValue], **properties: Attribute
    ) -> Self:
        """Create the op with its result type inferred (raises VerifyException)."""
        result_type = cls.infer_result_type([o.type for o in operands], properties)
        return cls.create(
            operands=list(operands),
            properties=dict(properties),
            result_types=[result_type],
        )

    def verify_(self) -> None:
        self.reject_unknown_attributes()
        expected = self.infer_result_type(
            [o.type for o in self.operands], self.properties
        )
        actual = self.results[0].type
        if actual != expected:
            operands = ", ".join(describe(o.type) for o in self.operands)
            raise VerifyException(
                f"{self.name}: result type should be {describe(expected)} "
                f"(inferred from operands {operands}), but is {describe(actual)}"
            )

    def reject_unknown_attributes(self) -> None:
        """A misspelled property must not pass silently as a discardable attribute.

        As in MLIR, discardable attributes are namespaced (``dlc.fused``); a bare
        name in an nn op's attribute dictionary can only be a mistaken property.
        """
        for name in self.attributes:
            if "." not in name:
                known = ", ".join(sorted(self.get_irdl_definition().properties))
                raise VerifyException(
                    f"{self.name}: unknown property '{name}' "
                    f"(expected one of: {known or 'none'})"
                )


def error_in_op(op_name: str, error: VerifyException) -> VerifyException:
    """``error`` with its message prefixed by ``op_name``, unless it already names it.

    The readers and checks above do not know which op they serve. An op re-raises
    their errors through this, so that every message names the op, also when it
    comes from Python (``from_operands``) rather than from a located diagnostic.
    """
    message = str(error)
    if message.startswith(op_name):
        return error
    return VerifyException(f"{op_name}: {message}")


def flag_property(props: Mapping[str, Attribute], name: str) -> bool:
    """A flag property (UnitAttr): present is true, absent is false."""
    attr = props.get(name)
    if attr is None:
        return False
    if not isinstance(attr, UnitAttr):
        raise VerifyException(
            f"property '{name}' is a flag: write '{name}' or leave it out, "
            f"got {name} = {describe(attr)}"
        )
    return True
