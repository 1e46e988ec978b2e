"""The tensor dialect."""

from xdsl.ir import Dialect

TENSOR = Dialect("tensor", [], [])
