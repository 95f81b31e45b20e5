"""Content: content/ read, parsed and checked into the data model (handbook.model).

yamltext checks a file's text before YAML reads it, yamlfile parses YAML
with line numbers (yamlwrite writes it), schema checks each file against
handbook/schemas/, load reads content/ and records makes the model's
records, validate and conversion_rules check rules across files,
provenance checks the official text against the seeds, and checks runs
them all (the `check` command's work).
"""
