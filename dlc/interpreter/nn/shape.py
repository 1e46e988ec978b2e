"""Reference implementations of the nn shape ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class ShapeFunctions(InterpreterFunctions):
    pass
