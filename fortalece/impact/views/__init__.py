"""The impact pages, by sub-domain: instruments, studies, surveys, planning."""
