"""The web page (`app.py`: Gradio wiring), what it shows (`render.py`) and what it accepts as an
upload (`uploads.py`)."""
