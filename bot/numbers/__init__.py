"""Numeric answers from SQL readings (`answer.answer_sql`), worded in the question's language."""
