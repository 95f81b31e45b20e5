"""Building: the stages run in order, into a fresh folder swapped in at the end.

builder runs check, convert, render, index and swap in, and rebuilds only
what changed when kept between builds (state: what it keeps); emit is the
one writer of pages and index documents; parallel renders on every core;
inputs reads static/ and the templates; guards refuses output folders a
build must not replace; progress reports the timed stages.
"""
