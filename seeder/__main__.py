"""``python -m seeder`` runs the command line."""

from seeder.cli import main

main()
