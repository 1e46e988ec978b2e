"""verify_module in linear time: its dominance and structural checks.

dlc.parse.verify_module replaces two quadratic parts of xDSL 0.74's verification
(the dominance sets, the count of a region's blocks at every terminator); these
tests pin that the answers did not change: dominance against xDSL's own analysis
on random control-flow graphs, and the errors on misplaced terminators and branches.
"""

import random
import time

import pytest
from xdsl.dialects import cf, test
from xdsl.dialects.builtin import ModuleOp, i1
from xdsl.ir import Block, Region
from xdsl.irdl.dominance import DominanceInfo

import dlc
from dlc.context import make_context
from dlc.parse import BlockDominance, parse_module, verify_module


def random_region(seed: int, blocks: int) -> Region:
    """A region of ``blocks`` blocks, each ending in a branch to one or two random
    blocks (or a return); block 0 is the entry."""
    rng = random.Random(seed)
    region = Region([Block() for _ in range(blocks)])
    all_blocks = list(region.blocks)
    for block in all_blocks:
        targets = rng.sample(all_blocks[1:], k=min(rng.choice([0, 1, 2]), blocks - 1))
        if len(targets) == 2:
            condition = test.TestOp(result_types=[i1])
            branch = cf.ConditionalBranchOp(condition, targets[0], (), targets[1], ())
            block.add_ops([condition, branch])
        elif len(targets) == 1:
            block.add_op(cf.BranchOp(targets[0]))
        else:
            block.add_op(test.TestTermOp())
    return region


def reached(entry: Block, avoiding: Block | None = None) -> set[Block]:
    """The blocks reachable from ``entry`` on paths that do not pass ``avoiding``."""
    seen = {entry} if entry is not avoiding else set[Block]()
    pending = list(seen)
    while pending:
        last = pending.pop().last_op
        assert last is not None
        for successor in last.successors:
            if successor not in seen and successor is not avoiding:
                seen.add(successor)
                pending.append(successor)
    return seen


@pytest.mark.parametrize("seed", range(60))
def test_block_dominance_is_the_definition_on_random_graphs(seed: int):
    """A dominates B when B is reachable, and not without passing A (or A is B)."""
    region = random_region(seed, blocks=1 + seed % 12)
    dominance = BlockDominance(region)
    blocks = list(region.blocks)
    reachable = reached(blocks[0])
    for a in blocks:
        without_a = reached(blocks[0], avoiding=a)
        for b in blocks:
            expected = a is b or (b in reachable and b not in without_a)
            assert dominance.dominates(a, b) == expected, (
                blocks.index(a),
                blocks.index(b),
            )


def test_block_dominance_agrees_with_xdsl_when_every_block_is_reachable():
    region = random_region(3, blocks=1)
    blocks = [Block() for _ in range(6)]
    for block in blocks:
        region.add_block(block)
    entry = region.blocks.first
    assert entry is not None and entry.last_op is not None
    entry.erase_op(entry.last_op)
    entry.add_op(cf.BranchOp(blocks[0]))
    for n, block in enumerate(blocks):
        condition = test.TestOp(result_types=[i1])
        back = blocks[n // 2]
        forward = blocks[n + 1] if n + 1 < len(blocks) else blocks[0]
        branch = cf.ConditionalBranchOp(condition, back, (), forward, ())
        block.add_ops([condition, branch])
    ours, theirs = BlockDominance(region), DominanceInfo(region)
    everything = list(region.blocks)
    for a in everything:
        for b in everything:
            assert ours.dominates(a, b) == theirs.dominates(a, b)


def test_an_unreachable_block_is_dominated_by_itself_only():
    region = random_region(0, blocks=1)
    orphan = Block([test.TestTermOp()])
    region.add_block(orphan)
    dominance = BlockDominance(region)
    entry = region.blocks.first
    assert entry is not None
    assert dominance.dominates(orphan, orphan)
    assert not dominance.dominates(entry, orphan)
    assert not dominance.dominates(orphan, entry)


def chain(blocks: int) -> str:
    """A function of ``blocks`` blocks in a row, each adding to the last sum; the
    last block returns it."""
    lines = ["  %c = arith.constant 1 : i32", "  cf.br ^b1(%x : i32)"]
    for n in range(1, blocks):
        lines.append(f"^b{n}(%v{n}: i32):")
        lines.append(f"  %s{n} = arith.addi %v{n}, %c : i32")
        if n + 1 < blocks:
            lines.append(f"  cf.br ^b{n + 1}(%s{n} : i32)")
        else:
            lines.append(f"  func.return %s{n} : i32")
    return "func.func @f(%x: i32) -> i32 {\n" + "\n".join(lines) + "\n}\n"


def test_a_long_chain_of_blocks_verifies_in_linear_time():
    ctx = make_context()
    small = parse_module(ctx, chain(250), verify=False)
    large = parse_module(ctx, chain(2000), verify=False)
    start = time.perf_counter()
    verify_module(small)
    small_time = time.perf_counter() - start
    start = time.perf_counter()
    verify_module(large)
    large_time = time.perf_counter() - start
    # 8x the blocks: linear is ~8x, quadratic ~64x; leave room for noise.
    assert large_time < 30 * max(small_time, 1e-3)


def test_a_value_from_a_block_that_does_not_dominate_is_reported():
    text = """func.func @f(%x: i32, %b: i1) -> i32 {
  cf.cond_br %b, ^left, ^right
^left:
  %l = arith.addi %x, %x : i32
  cf.br ^join
^right:
  cf.br ^join
^join:
  func.return %l : i32
}
"""
    with pytest.raises(dlc.DiagnosticError) as info:
        dlc.parse(text, "cfg.mlir")
    assert info.value.location is not None
    assert info.value.location.line == 9
    assert "func.return: operand #0 (%l) is used before its definition" in str(
        info.value
    )


def test_a_value_from_a_dominating_block_verifies():
    dlc.parse(chain(3))


def test_a_branch_that_does_not_end_its_block_is_reported():
    text = chain(3).replace(
        "  cf.br ^b1(%x : i32)", "  cf.br ^b1(%x : i32)\n  %z = arith.addi %x, %x : i32"
    )
    with pytest.raises(dlc.DiagnosticError, match="cf.br: has block successors, so it"):
        dlc.parse(text)


def test_a_non_terminator_ending_a_multi_block_region_is_reported():
    module = dlc.parse(chain(3))
    function = module.body.block.first_op
    assert function is not None
    last = function.regions[0].blocks.last
    assert last is not None and last.last_op is not None
    last.erase_op(last.last_op)
    with pytest.raises(dlc.DiagnosticError, match="arith.addi: terminates a block"):
        verify_module(module)


def test_a_module_of_ops_without_terminators_verifies():
    verify_module(ModuleOp([test.TestOp()]))


def test_without_op_verifiers_the_structure_is_still_checked():
    module = dlc.parse(chain(3))
    function = module.body.block.first_op
    assert function is not None
    entry = function.regions[0].blocks.first
    assert entry is not None and entry.first_op is not None
    constant = entry.first_op
    constant.attributes["value"] = constant.properties.pop("value")
    with pytest.raises(dlc.DiagnosticError, match="arith.constant"):
        verify_module(module)
    verify_module(module, op_verifiers=False)
    last = function.regions[0].blocks.last
    assert last is not None and last.last_op is not None
    last.erase_op(last.last_op)
    with pytest.raises(dlc.DiagnosticError, match="arith.addi: terminates a block"):
        verify_module(module, op_verifiers=False)
