"""The supervision loop's notices: 提醒 (reminders.py) and their mail (mail.py)."""
