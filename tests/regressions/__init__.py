"""One test module per bug the mutation fuzzer (tests/fuzz) found, named after the
behaviour it pins, with the smallest input that showed the bug."""
