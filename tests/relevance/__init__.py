"""The judged relevance set (products, queries, grades) and its measures: test and bench data,
kept out of the production package. Used by tests/unit/test_relevance*.py,
tests/factories.py and bench/bench_search.py."""
