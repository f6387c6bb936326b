"""The lower back pain exercise guide's core: exercises.yml in, Markdown pages out.

Nothing here imports MkDocs. `validate.load` reads and checks the data,
`render.render_pages` turns it into pages, `readability` measures them;
hooks/exercise_guide_hook.py adapts this to MkDocs and cli.py to the shell.
"""
