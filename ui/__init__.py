"""Streamlit helpers shared by the pages: the open database, the logged-in user, common widgets."""
