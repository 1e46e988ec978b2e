"""The loop dialect."""

from xdsl.ir import Dialect

LOOP = Dialect("loop", [], [])
