"""The county report (年度监测, 中期评估, 终期评估 of one plan).

Its context, tables, summary, prose and charts.
"""
