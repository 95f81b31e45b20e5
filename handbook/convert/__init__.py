"""Conversion: the Simplified source into each converted edition's script.

converter applies OpenCC, the regional tables and reviewed overrides to the
data model (never to HTML), words finds word boundaries for the overrides,
opencc_data reads OpenCC's dictionaries, review lists the conversion
decisions a reviewer signs off, signoff writes their report and reads the
signed CSV back.
"""
