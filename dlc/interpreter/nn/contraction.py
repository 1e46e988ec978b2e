"""Reference implementations of the nn contraction ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class ContractionFunctions(InterpreterFunctions):
    pass
