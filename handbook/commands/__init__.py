"""The command line and the servers.

cli parses `build.py` commands and run carries each out; serve is the
preview web server (targets parses what a request asks for, connections
bounds slow and many clients); devserver rebuilds on every saved edit and
reloads the browser (live.js, the page's half of it).
"""
