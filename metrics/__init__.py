"""Metrics: pure functions over plain values (no database, no Dash)."""
