"""The quiz engine as plain Python (no Django): question types, scoring, seeded draws and
shuffles, and the Moodle GIFT and Aiken formats. The Django app stores questions as the
``to_dict``/``from_dict`` shape of :class:`~fortalece.quizzes.core.questions.Question`."""
