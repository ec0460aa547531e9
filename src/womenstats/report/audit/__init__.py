"""Auditing a report: re-execute it and compare every output, check its input files."""
