"""The WSGI entry point gunicorn loads: ``graphsvc.wsgi:app``."""

from .app import create_app

app = create_app()
