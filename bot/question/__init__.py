"""Understanding a question: `understand()` reads it into an `Understanding` (`model.py`),
`merge_followup()` completes a follow-up, `route()` picks how to answer. Pure functions: no
database, model or network."""
