"""Messaging: a thread per intervention, notifications in the platform and by email."""
