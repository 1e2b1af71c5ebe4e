"""Reading the prose of finished documents: the quantities a sentence states (`quantities`),
the contradictions between them (`check`, for `wenmi check --text`), and `wenmi import`,
which turns last year's report into a Wenmi project. An import runs, one module each:
reader (DOCX, text, Markdown or a saved web page to raw paragraphs) → clean (site junk,
pinyin, mojibake… removed or repaired, every step recorded) → outline (heading markers and
levels) → quantities → importer (the JSON reading; the project: Markdown body with
placeholders, figures YAML)."""
