"""The nn dialect: a graph of neural-network ops on value tensors (NNVM/Relay level)."""

from xdsl.ir import Dialect

from dlc.dialects.nn.elementwise import ELEMENTWISE_OPS

NN = Dialect("nn", [*ELEMENTWISE_OPS], [])
