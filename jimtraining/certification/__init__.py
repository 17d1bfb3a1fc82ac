"""Certification: tracks, requirements, practice assignments, sign-off, certificates, licences, audit log."""
