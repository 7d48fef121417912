"""Benchmarks of the dashboard: `python -m bench` (or `make bench`); `--quick` for fewer repeats.

Modules: `startup` (first chart painted, against a bare Streamlit page),
`rerun` (filter change, through AppTest), `export` (batch export),
`scale` (synthetic data from `generate`, growing sizes), `stats` (table, JSON).
"""
