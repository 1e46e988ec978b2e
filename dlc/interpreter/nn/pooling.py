"""Reference implementations of the nn pooling ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class PoolingFunctions(InterpreterFunctions):
    pass
