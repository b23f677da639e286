"""A tiny Django app whose models match the DDL of tests/test_fixture_sink.py (fixture sink round trip)."""
