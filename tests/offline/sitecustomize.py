"""Run at the start of every Python process the tests start (this folder is on their PYTHONPATH): the guard
that refuses and records any socket to another host."""

import no_network

no_network.install()
