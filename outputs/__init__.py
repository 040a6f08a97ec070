"""What the office hands out at the end of a month (issue 19), written from the
review's own figures (queries.review): the 月度通报 (bulletin.py)."""
