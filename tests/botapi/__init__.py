"""The Bot API specification (api.json, see LICENSE.md) and the checker of the tests' traffic."""
