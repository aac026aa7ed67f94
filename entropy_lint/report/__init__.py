"""Reporters: pure functions from records to text."""
