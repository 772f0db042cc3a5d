"""One declared schema per YAML file; every one reports through bot.yamlschema."""
