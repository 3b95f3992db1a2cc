"""Conflicts of interest: pairs that matching must never put together."""
