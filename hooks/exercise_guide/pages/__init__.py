"""Rendering the checked guide into the generated docs tree: Markdown pages from templates/
(render.py), data files, QR codes, the home page's boxes (snippets.py) and the site's paths."""
