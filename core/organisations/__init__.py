"""Organisations: schools and support structures, employers, associations, training bodies."""
