"""The seven startup phases (placeholder)."""
