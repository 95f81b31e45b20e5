"""Static site generator for the Guangzhou reform-measures handbook.

The build is a pipeline of stages, a module each:

    seeds/ --import--> content/ --load--> validate --> (convert --> render --> write --> index)

seeds.py and punctuation.py read the official documents; importer.py writes
content/ once; yamlfile.py, schema.py and content.py load it; validate.py and
provenance.py check it; checks.py runs all checks; cli.py is the command line.
"""
