"""What the office hands out at the end of a month (issue 19), as Word files in
the layout of a notice (layout.py), written from the pages' own figures: the
月度通报 from the monthly review's (bulletin.py), the 督办单 of a department or
city from the overdue list's (urge_letter.py); web.py serves them."""
