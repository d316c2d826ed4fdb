"""Plain-Python grading and upload checks for assignments (no Django)."""
