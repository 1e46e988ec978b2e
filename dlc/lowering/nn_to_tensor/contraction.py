"""nn-to-tensor patterns for the nn contraction ops."""

from xdsl.pattern_rewriter import RewritePattern

CONTRACTION_PATTERNS: list[RewritePattern] = []
