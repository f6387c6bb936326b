"""What needs the built HTML, whichever engine wrote it: the builder's safety list, the reading
grades, the Content-Security-Policy, the site's own search index and the preview's banner."""
