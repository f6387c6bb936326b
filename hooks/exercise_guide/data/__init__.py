"""Reading and checking exercises.yml: positions of every value (source.py), the typed model
(model.py), the checks (validate.py) and the one-line report of each mistake (problems.py)."""
