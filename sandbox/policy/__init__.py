"""Policies: YAML files in policies/ say which guards run for which role (see active.py, schema.py)."""
