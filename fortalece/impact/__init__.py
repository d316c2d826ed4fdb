"""Impact evaluation (issue 4). ``core`` is pure Python: no Django imports."""
