"""Emails: an outbox table written in the sender's transaction, delivered afterwards.

Services queue a message (a template name, its context, its attachments and the
recipient's language) without Flask; a task of the instance's queue renders and sends it
through Flask-Mailman. A message that fails to send stays in the outbox and is tried again,
later and later, until it is sent or marked failed: nothing is lost.
"""
