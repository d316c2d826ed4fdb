"""Pure import core: reading CSV/XLSX, suggesting a column mapping, validating rows.

No Django imports: the Django layer loads rows through here, then writes them in one
transaction.
"""
