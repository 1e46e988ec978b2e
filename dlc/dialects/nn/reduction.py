"""nn reduction ops."""

from xdsl.irdl import IRDLOperation

REDUCTION_OPS: list[type[IRDLOperation]] = []
