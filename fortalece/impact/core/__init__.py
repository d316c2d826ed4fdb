"""The analysis core: instruments, scoring, estimators, reliability. Plain data in and out."""
