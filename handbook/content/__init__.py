"""Content: content/ read, parsed and checked into the data model (handbook.model).

yamlfile parses YAML with line numbers, schema checks each file against
handbook/schemas/, load reads content/ into a Handbook, validate checks
references between files, provenance checks the official text against the
seeds, and checks runs them all (the `check` command's work).
"""
