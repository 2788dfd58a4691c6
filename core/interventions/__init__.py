"""Interventions: requests from educational teams, the ambassadors' answers, matching, events."""
