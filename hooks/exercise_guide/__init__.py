"""The lower back pain exercise guide's core: exercises.yml in, a finished site out.

pipeline.py runs the steps in order: data/ reads and checks exercises.yml, pages/ renders the
generated docs tree (figures/ draws the pictures), an engine builds the site (MkDocs through
hooks/exercise_guide_hook.py, Zensical through hooks/zensical_build.py), finish/ completes the
built HTML (grades, search names, CSP). cache.py keeps the costly pure results between builds;
cli.py is `exercise-guide`. Nothing here imports MkDocs.
"""
