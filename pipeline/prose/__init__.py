"""Reading the prose of finished documents: the quantities a sentence states (`quantities`),
the contradictions between them (`check`, for `wenmi check --text`)."""
