"""nn contraction ops."""

from xdsl.irdl import IRDLOperation

CONTRACTION_OPS: list[type[IRDLOperation]] = []
