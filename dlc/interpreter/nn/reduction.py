"""Reference implementations of the nn reduction ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class ReductionFunctions(InterpreterFunctions):
    pass
