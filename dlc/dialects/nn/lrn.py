"""``nn.lrn``: local response normalization across channels, as ONNX's LRN.

Each element is divided by a power of the sum of squares over a window of
neighbouring channels (dim 1 of an N x C x ... tensor)::

    square_sum[n, c, ...] = sum of x[n, i, ...]^2 for i from
        max(0, c - floor((size - 1) / 2)) to min(C - 1, c + ceil((size - 1) / 2))
    y = x / (bias + alpha / size * square_sum) ^ beta

``size`` is required (odd or even; an even window has one more channel after ``c``
than before), ``alpha``, ``beta`` and ``bias`` default to 1e-4, 0.75 and 1::

    %y = nn.lrn %x {size = 5 : i64, alpha = 2.0e-05 : f64} : tensor<1x16x8x8xf32>
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import ClassVar

from xdsl.dialects.builtin import TensorType
from xdsl.ir import Attribute
from xdsl.irdl import irdl_op_definition, opt_prop_def, prop_def
from xdsl.utils.exceptions import VerifyException

from dlc.dialects.nn.activation import read_float_parameters
from dlc.dialects.nn.base import describe, f64_attr, int_property
from dlc.dialects.nn.elementwise import SameTypeUnaryOp


@dataclass(frozen=True)
class LrnParameters:
    """The checked properties, defaults filled in."""

    size: int
    alpha: float
    beta: float
    bias: float

    @property
    def before(self) -> int:
        """How many channels before ``c`` the window reaches."""
        return (self.size - 1) // 2

    @property
    def after(self) -> int:
        """How many channels after ``c`` the window reaches (``ceil((size-1)/2)``)."""
        return self.size // 2


@irdl_op_definition
class LrnOp(SameTypeUnaryOp):
    """Local response normalization over channels (see the module docstring)."""

    name = "nn.lrn"

    DEFAULTS: ClassVar[Mapping[str, float]] = {
        "alpha": 1e-4,
        "beta": 0.75,
        "bias": 1.0,
    }
    size = prop_def(Attribute)
    alpha = opt_prop_def(Attribute, f64_attr(DEFAULTS["alpha"]))
    beta = opt_prop_def(Attribute, f64_attr(DEFAULTS["beta"]))
    bias = opt_prop_def(Attribute, f64_attr(DEFAULTS["bias"]))

    @classmethod
    def check_properties(
        cls, input_type: TensorType, properties: Mapping[str, Attribute]
    ) -> None:
        if len(input_type.get_shape()) < 2:
            raise VerifyException(
                f"{cls.name}: input must have rank at least 2 (N x C x ...), "
                f"got {describe(input_type)}"
            )
        cls.read_parameters(properties)

    @classmethod
    def read_parameters(cls, properties: Mapping[str, Attribute]) -> LrnParameters:
        size = int_property(properties, "size")
        if size < 1:
            raise VerifyException(f"{cls.name}: size must be at least 1, got {size}")
        values = read_float_parameters(cls.name, properties, cls.DEFAULTS)
        return LrnParameters(size, **values)

    def parameters(self) -> LrnParameters:
        return self.read_parameters(self.properties)


LRN_OPS = [LrnOp]
