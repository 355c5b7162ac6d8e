"""Running Rembuk: the CLI, backups, the container image and compose file, the settings reference."""
