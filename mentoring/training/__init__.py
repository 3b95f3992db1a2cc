"""Mentor training records, their evidence files and their verification by coordinators."""
