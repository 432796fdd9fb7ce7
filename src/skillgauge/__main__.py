"""``python -m skillgauge`` runs the command line."""

from skillgauge.cli import main

main()
