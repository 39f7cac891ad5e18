"""Lifted's small JSON API (``/api/v1``), authenticated with personal access tokens."""
