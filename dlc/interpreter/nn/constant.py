"""Reference implementations of the nn constant ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class ConstantFunctions(InterpreterFunctions):
    pass
