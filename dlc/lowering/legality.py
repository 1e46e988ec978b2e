"""The legality check that ends every lowering: nothing of the source level is left.

A lowering that meets an op it cannot convert leaves it in place; this check then
reports it at the op's source location, naming the op, instead of letting a later
pass or the LLVM translation crash on it.
"""

from xdsl.dialects.builtin import ModuleOp

from dlc.diagnostics import DiagnosticError, SourceLocation


def check_fully_lowered(module: ModuleOp, dialect: str, pass_name: str) -> None:
    """Raise a located diagnostic for the first op of ``dialect`` left in ``module``."""
    for op in module.walk():
        if op.name.startswith(dialect + "."):
            raise DiagnosticError(
                f"{pass_name}: failed to lower '{op.name}'; no pattern converts it",
                SourceLocation.of(op.location),
            )
