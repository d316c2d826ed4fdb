"""Fortalece: run, track and prove the impact of training programmes."""
