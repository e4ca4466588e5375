"""The term planner: a whole term of peer visits planned in one step.

inputs.py reads the real schedule, solver.py builds the plan with OR-Tools
CP-SAT, baseline.py is the plan a careful principal makes by hand (greedy),
explain.py says which constraint blocks an intention, services.py writes.
"""
