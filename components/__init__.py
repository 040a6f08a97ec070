"""Components: pure renderers (rows -> figure, card, table, file bytes)."""
