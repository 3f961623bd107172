"""Statistics for the rules: numbers in, decisions and numbers out.

Pure functions on floats and sequences (no app frames, no Findings), so each rule can call them
with what it already has. Every comparison uses days as exposure and the KPI's own month-to-month
noise, estimated from its complete periods, so ordinary variation does not read as a change.
"""
