"""Notifications: an outbox written with the event, an SMTP sender, reminders, the in-app list."""
