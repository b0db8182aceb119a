"""The browser UI: thin Gradio Blocks that build requests, call the gateway and show results."""
