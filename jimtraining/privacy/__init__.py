"""Privacy (AVG/GDPR): a person's data export, erasure of an account, and retention periods.

`registry.py` says, for every table that points at a person, what the export contains and what erasure does;
`services.py` runs the export and the erasure from it; `retention.py` holds the retention periods and applies
them (`flask --app app privacy retention`). docs/PRIVACY.md explains the decisions.
"""
