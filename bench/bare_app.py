"""The baseline for the start-up benchmark: a bare Streamlit page with one Plotly chart.

Shaped like one of the dashboard's charts (a few bars, a category axis) and
nothing else: no data files, no validation, no sidebar.
"""

import plotly.graph_objects as go
import streamlit as st

figure = go.Figure(go.Bar(x=["2022", "2023", "2024"], y=[86, 79, 71], text=["86", "79", "71"]))
figure.update_layout(height=320, xaxis=dict(type="category"))
st.plotly_chart(figure, key="chart")
