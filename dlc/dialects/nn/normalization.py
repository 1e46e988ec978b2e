"""nn normalization ops."""

from xdsl.irdl import IRDLOperation

NORMALIZATION_OPS: list[type[IRDLOperation]] = []
