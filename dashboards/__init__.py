"""The dashboards: patterns across classrooms, the ESSA report and the district view.

The top app (jel <- scheduling <- cycles <- observations <- dashboards): it reads
the others' models and nothing imports it.
"""
