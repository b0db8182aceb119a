"""Models: the registry from the models file, the embedded local server, and calls through litellm."""
