"""nn pooling ops."""

from xdsl.irdl import IRDLOperation

POOLING_OPS: list[type[IRDLOperation]] = []
