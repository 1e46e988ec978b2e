"""Reference implementations of the nn normalization ops."""

from xdsl.interpreter import InterpreterFunctions, register_impls


@register_impls
class NormalizationFunctions(InterpreterFunctions):
    pass
