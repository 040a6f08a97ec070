"""Monthly progress reporting (按月报送): the write side of the store.

A report — typed into /report, uploaded as the Excel template, or imported
with the CLI — becomes a ``Report`` of entries (entries.py), is checked in
full against the store and the reporter's scope (check.py), and is then
written in one transaction with a version check per milestone and indicator
(apply.py), or not at all.  template.py builds and reads the Excel template.
"""
