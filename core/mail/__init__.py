"""Emails: an outbox table written in the sender's transaction, delivered afterwards.

Services queue a message (a template name, its context and the recipient's language)
without Flask; delivery renders and sends it through Flask-Mailman. A message that fails
to send stays in the outbox and is tried again: nothing is lost.
"""
