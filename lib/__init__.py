"""班组党建看板: everything that reads, cleans, stores and computes. No Streamlit here."""

__version__ = "0.1.0"
