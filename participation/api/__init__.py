"""A read-only JSON API under /api/v1/ over the open datasets, with its OpenAPI document."""
