"""The command line and the servers.

cli parses `build.py` commands, serve is the preview web server, devserver
rebuilds on every saved edit and reloads the browser.
"""
