"""Writes of the quizzes app (keyword-only, atomic): ``bank`` for questions and imports,
``attempts`` for quiz settings, attempts, answers and scoring."""
