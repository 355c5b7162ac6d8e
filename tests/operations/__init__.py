"""Running Rembuk: the CLI, the container image and compose file, the settings reference."""
