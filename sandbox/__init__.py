"""A governed generative-AI sandbox: every prompt passes a policy layer before and after the model."""

from sandbox.settings import make_offline

make_offline()

__version__ = "0.1.0"
