"""The open data: each edition's data/ folder, the handbook as CSV and JSON (docs/data.md).

tables declares the tables and their columns, encode writes the CSV and JSON bytes (remembering
each record's lines between builds), package describes each CSV file in the edition's words and
writes datapackage.json and the JSON Schemas, publish puts one edition's files and its data page
together.
"""
