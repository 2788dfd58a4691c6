"""Accounts, sign-in, signed single-use links, roles and permissions."""
