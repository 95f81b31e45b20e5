"""Building: the stages run in order, into a fresh folder swapped in at the end.

builder runs check, convert, render, index and swap in, and rebuilds only
what changed when kept between builds; progress reports the timed stages.
"""
