"""nn shape ops."""

from xdsl.irdl import IRDLOperation

SHAPE_OPS: list[type[IRDLOperation]] = []
