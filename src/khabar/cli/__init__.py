"""The khabar command line: a thin click layer over the library, one module per family of commands.

``app`` holds the group, the global options and error handling; each other module registers its
commands on ``main`` when imported.
"""

from khabar.cli import curation, export, intake, measure, query, scale, serve
from khabar.cli.app import main

__all__ = ["main"]
_COMMAND_MODULES = (curation, export, intake, measure, query, scale, serve)
