"""Backend entry point (placeholder for the real service)."""
