"""Governance pages: applying (applicants), the bureau's desk, the committee's votes."""
