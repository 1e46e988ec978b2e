"""nn-to-tensor patterns for the nn constant ops."""

from xdsl.pattern_rewriter import RewritePattern

CONSTANT_PATTERNS: list[RewritePattern] = []
