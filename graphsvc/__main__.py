"""``python -m graphsvc``: the command line."""

from .cli import main

main()
