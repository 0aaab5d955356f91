"""Run khabar as ``python -m khabar``."""

from khabar.cli import main

main()
