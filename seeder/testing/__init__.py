"""Helpers for test suites: throw-away database servers (:mod:`seeder.testing.servers`)."""
