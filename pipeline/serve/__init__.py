"""`wenmi serve`: the workbench in a browser, for those who never open a terminal.

app.py (the pages), guard.py (who may use them), workspace.py (the project read once and
kept while its files stay the same), jobs.py and work.py (rehearsals and builds, each in a
process of its own), charts.py (SVG charts), server.py (the command); templates/ holds the
pages' HTML.
"""
