"""A local stand-in for the Telegram Bot API, and the demo chats on it (terminal and browser).

Used by the tests, the benchmarks and `make demo`; not installed with the bot. Import from the
repository root: ``standin.server``, ``standin.terminal``, ``standin.webchat``, ``standin.demo``.
"""
