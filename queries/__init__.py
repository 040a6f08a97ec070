"""Queries: SQL selects over the store, returned as plain rows or DataFrames.
Aggregation happens in SQL (GROUP BY, window functions), not in pandas."""
