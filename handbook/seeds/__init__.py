"""Seeds: the official documents in seeds/, and what is made from them once.

documents reads the two seed files into measures, punctuation repairs the
scraped punctuation (the one documented change to the official text),
importer writes content/ from them, scaffold writes a new measure's file.
"""
