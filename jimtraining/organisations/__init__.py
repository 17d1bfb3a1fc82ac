"""Organisations: the employers, schools and hogescholen that people and cohorts belong to."""
