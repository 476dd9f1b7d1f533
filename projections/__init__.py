"""Read models and reports.

Changes from the event store (`source.ChangeSource`) are applied in batches by
`runner.catch_up` / `runner.rebuild` to the read models listed in `registry.READ_MODELS`, kept
in a `db.ReadStore` (SQLite or PostgreSQL). The reports (`status_report.status_report`,
`annual_report.annual_report`, `by_name_list.by_name_list`) read only those tables.
"""
