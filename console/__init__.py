"""The web console for MIMP staff: a web shell over the same core as the chat (bot/)."""
