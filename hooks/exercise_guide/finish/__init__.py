"""What needs the built HTML, whichever engine wrote it: the builder's safety list, the reading
grades, the Content-Security-Policy, the search index's other names and the preview's banner."""
