"""nn constant ops."""

from xdsl.irdl import IRDLOperation

CONSTANT_OPS: list[type[IRDLOperation]] = []
